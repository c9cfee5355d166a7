package io.multistore.api.http;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An endpoint mounted beside the S3 API (STS {@code AssumeRoleWithWebIdentity}, {@code /.well-known/*}, health).
 * <p>
 * The gateway offers a request, before treating it as S3, to the handlers whose {@link #matcher()} matches it, in a
 * defined order: highest {@code service.ranking} first, then the oldest service ({@code service.id}). The first
 * handler that answers ends the search; one that declines or fails passes the request on.
 */
@ConsumerType
public interface RouteHandler {

    /** Service property: a short name for logs and the console. */
    String NAME = "multistore.route.name";

    /**
     * Which requests this handler is offered. Read once, when the handler is bound, so it must not change. The
     * default offers every request (the behaviour of version 1.0 of this package); handlers should narrow it.
     */
    default RouteMatcher matcher() {
        return RouteMatcher.any();
    }

    /**
     * @param exchange the request; {@link HttpExchange#formBody(int)} reads a small form body without taking it
     *                 from the S3 path
     * @return {@code true} if this handler answered the exchange, {@code false} to pass it on (without having
     *         written anything)
     */
    boolean handle(HttpExchange exchange) throws IOException;
}
