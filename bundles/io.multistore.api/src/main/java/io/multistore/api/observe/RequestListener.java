package io.multistore.api.observe;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Offered every completed request, S3 or route-handled, successful or not. Register it as a service; the gateway
 * calls every listener on the request's thread after the response is complete, so a listener must be quick and must
 * not block (hand slow work to a queue of its own). A listener that throws is logged and skipped: it never affects a
 * request or the other listeners.
 */
@ConsumerType
public interface RequestListener {

    /**
     * A request has begun: called on the request's thread before it is parsed or authenticated. Every call is
     * followed by exactly one {@link #completed} with the same request id, on the same listener; a listener bound
     * while a request is under way sees neither call for it. Does nothing unless overridden.
     *
     * @param requestId the {@code x-amz-request-id} the client will get
     * @param method    the HTTP method
     * @since 1.1
     */
    default void started(String requestId, String method) {
    }

    void completed(CompletedRequest request);
}
