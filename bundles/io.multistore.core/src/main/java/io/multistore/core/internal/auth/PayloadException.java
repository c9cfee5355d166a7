package io.multistore.core.internal.auth;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.IOException;

/**
 * Thrown by a {@link VerifiedBody} stream when the payload is wrong. It is an {@link IOException} so a backend
 * reading the body aborts its upload as for any broken stream; the gateway answers with {@link #s3Error()}.
 */
public final class PayloadException extends IOException {
    private static final long serialVersionUID = 1L;

    private final S3Exception s3Error;

    public PayloadException(S3Exception s3Error) {
        super(s3Error.getMessage(), s3Error);
        this.s3Error = s3Error;
    }

    PayloadException(S3ErrorCode code, String message) {
        this(new S3Exception(code, message));
    }

    /** The S3 error the client must get. */
    public S3Exception s3Error() {
        return s3Error;
    }
}
