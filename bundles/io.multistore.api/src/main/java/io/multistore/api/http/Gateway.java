package io.multistore.api.http;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The S3 gateway as the front end sees it: it answers every exchange, S3 errors included.
 */
@ProviderType
public interface Gateway {

    /**
     * Serves one exchange to completion. Throws only when the connection itself failed (the client went away, or
     * the response was committed before a backend failed) — then the front end aborts the connection.
     */
    void handle(HttpExchange exchange) throws IOException;
}
