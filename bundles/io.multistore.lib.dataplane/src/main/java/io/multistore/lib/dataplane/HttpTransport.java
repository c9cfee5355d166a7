package io.multistore.lib.dataplane;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The data plane's HTTP client: sends one request, streaming its body, and answers with the response whose body the
 * caller streams on. One instance (the OSGi service, or a {@link PooledHttpTransport} in tests) is shared by every
 * backend and bucket, so connections to a store are pooled once.
 * <p>
 * A request is retried, under the transport's {@link RetryPolicy}, when the connection fails before an answer arrives
 * or the store answers 5xx/429 (S3's 503 {@code SlowDown} included), as long as its body can be sent again: a
 * request without a body always can, a streamed body only while none of it was read. The caller sees the last
 * attempt's answer, whatever its status, or the last connection failure.
 */
@ProviderType
public interface HttpTransport {

    /**
     * @return the answer, whatever its status; the caller must close it
     * @throws IOException when no attempt got an answer (connection refused, reset, timed out)
     */
    BackendResponse send(BackendRequest request) throws IOException;
}
