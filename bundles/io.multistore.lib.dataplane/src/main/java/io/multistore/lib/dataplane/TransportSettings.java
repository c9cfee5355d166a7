package io.multistore.lib.dataplane;

import java.time.Duration;

/**
 * How the shared transport connects.
 *
 * @param maxConnections    open connections at most, over all stores (a gateway multiplexes many clients onto few
 *                          stores: large)
 * @param connectTimeout    to open a connection
 * @param socketTimeout     longest silence while waiting for bytes of an answer
 * @param acquireTimeout    longest wait for a free connection when the pool is exhausted
 * @param maxIdleTime       an idle pooled connection is closed after this; below the stores' own idle timeouts
 *                          (Jetty's 30 s, S3's about 20 s), so that the pool rarely offers a connection the store
 *                          has closed
 * @param retry             when to send a request again
 */
public record TransportSettings(int maxConnections, Duration connectTimeout, Duration socketTimeout,
        Duration acquireTimeout, Duration maxIdleTime, RetryPolicy retry) {

    public static final TransportSettings DEFAULT = new TransportSettings(1024, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(20), RetryPolicy.STANDARD);
}
