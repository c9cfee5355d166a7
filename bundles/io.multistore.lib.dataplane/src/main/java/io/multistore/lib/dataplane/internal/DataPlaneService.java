package io.multistore.lib.dataplane.internal;

import io.multistore.lib.dataplane.BackendRequest;
import io.multistore.lib.dataplane.BackendResponse;
import io.multistore.lib.dataplane.HttpTransport;
import io.multistore.lib.dataplane.PooledHttpTransport;
import io.multistore.lib.dataplane.RetryPolicy;
import io.multistore.lib.dataplane.TransportSettings;
import java.io.IOException;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link HttpTransport} of the process, shared by every backend. Runs with defaults; a configuration
 * (PID {@value #PID}) replaces it with a new instance, and backends bound to the old one are re-created by DS.
 */
@Component(service = HttpTransport.class, configurationPid = DataPlaneService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DataPlaneService.Config.class)
public final class DataPlaneService implements HttpTransport {

    static final String PID = "io.multistore.lib.dataplane";
    private static final Logger LOG = LoggerFactory.getLogger(DataPlaneService.class);

    @ObjectClassDefinition(name = "Multistore data plane",
            description = "The pooled HTTP client that carries object bodies between the gateway and its backends.")
    public @interface Config {
        @AttributeDefinition(name = "Maximum connections",
                description = "Open connections to all backends together, at most.")
        int max__connections() default 1024;

        @AttributeDefinition(name = "Connect timeout (ms)", description = "Time to open a connection to a backend.")
        int connect__timeout__ms() default 10_000;

        @AttributeDefinition(name = "Read timeout (ms)",
                description = "Longest silence of a backend while the gateway waits for bytes of its answer.")
        int socket__timeout__ms() default 60_000;

        @AttributeDefinition(name = "Pool wait (ms)",
                description = "Longest wait for a free connection when all are in use.")
        int acquire__timeout__ms() default 30_000;

        @AttributeDefinition(name = "Idle time (ms)",
                description = "An unused pooled connection is closed after this; keep it below the backends' own "
                        + "idle timeouts.")
        int max__idle__ms() default 20_000;

        @AttributeDefinition(name = "Attempts",
                description = "Attempts per request in all (1 = no retry). Retried: connection failures before an "
                        + "answer, and 500/502/503/504/429 answers, for requests whose body can be sent again.")
        int max__attempts() default 3;

        @AttributeDefinition(name = "Backoff base (ms)",
                description = "Base of the randomised exponential wait before a retry.")
        int retry__base__delay__ms() default 100;

        @AttributeDefinition(name = "Throttled backoff base (ms)",
                description = "Base of the wait after a 503 SlowDown or 429 answer.")
        int retry__throttled__base__delay__ms() default 1000;
    }

    private final PooledHttpTransport transport;

    @Activate
    public DataPlaneService(Config config) {
        this.transport = new PooledHttpTransport(settings(config));
        LOG.debug("Data plane started: {} connections, {} attempts", config.max__connections(),
                config.max__attempts());
    }

    static TransportSettings settings(Config c) {
        return new TransportSettings(c.max__connections(), Duration.ofMillis(c.connect__timeout__ms()),
                Duration.ofMillis(c.socket__timeout__ms()), Duration.ofMillis(c.acquire__timeout__ms()),
                Duration.ofMillis(c.max__idle__ms()), new RetryPolicy(c.max__attempts(),
                        Duration.ofMillis(c.retry__base__delay__ms()),
                        Duration.ofMillis(c.retry__throttled__base__delay__ms()), Duration.ofSeconds(20)));
    }

    @Override
    public BackendResponse send(BackendRequest request) throws IOException {
        return transport.send(request);
    }

    @Deactivate
    void close() {
        transport.close();
    }
}
