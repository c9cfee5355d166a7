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

    void completed(CompletedRequest request);
}
