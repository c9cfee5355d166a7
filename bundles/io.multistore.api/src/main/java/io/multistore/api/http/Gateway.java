package io.multistore.api.http;

import io.multistore.api.S3Exception;
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

    /**
     * Answers an exchange the front end refused before it could be served — the servlet container rejected its URI
     * or its header section — with the S3 error document for {@code error}, under a new request id. Nothing is read
     * from the exchange but what it offers; its path may be {@code null}.
     *
     * @since 1.1
     */
    void reject(HttpExchange exchange, S3Exception error) throws IOException;
}
