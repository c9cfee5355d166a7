package io.multistore.api.http;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An endpoint mounted beside the S3 API (STS {@code AssumeRoleWithWebIdentity}, {@code /.well-known/*}, health).
 * The gateway offers each request to its route handlers, highest {@code service.ranking} first, before treating it
 * as S3.
 */
@ConsumerType
public interface RouteHandler {

    /** Service property: a short name for logs and the console. */
    String NAME = "multistore.route.name";

    /**
     * @return {@code true} if this handler answered the exchange, {@code false} to pass it on (without having read
     *         the body or written anything)
     */
    boolean handle(HttpExchange exchange) throws IOException;
}
