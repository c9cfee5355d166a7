package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;

/**
 * A 5xx whose message the client may see: it names nothing secret and tells an operator what to fix (a missing
 * backend bundle, no config provider).
 */
final class VisibleServerError extends S3Exception {
    private static final long serialVersionUID = 1L;

    VisibleServerError(S3ErrorCode code, String message) {
        super(code, message);
    }

    @Override
    public String clientMessage() {
        return getMessage();
    }
}
