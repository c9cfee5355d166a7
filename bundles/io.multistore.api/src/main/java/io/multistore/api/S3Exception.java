package io.multistore.api;

import java.util.Objects;

/**
 * The one exception that crosses bundle boundaries: it carries the S3 error code the client will see. Backends
 * translate their library's exceptions into this type; anything else reaching the front end becomes InternalError.
 * <p>
 * For 5xx codes the {@link #getMessage() message} is for the log only; the client gets the code's generic message.
 */
public class S3Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final S3ErrorCode code;
    private final String resource;

    public S3Exception(S3ErrorCode code) {
        this(code, code.defaultMessage(), null, null);
    }

    public S3Exception(S3ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public S3Exception(S3ErrorCode code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    public S3Exception(S3ErrorCode code, String message, String resource, Throwable cause) {
        super(message == null ? code.defaultMessage() : message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.resource = resource;
    }

    public S3ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    /** The bucket or key the error is about, or {@code null}. */
    public String resource() {
        return resource;
    }

    /** The message safe to show a client: the detail for 4xx, the generic text for 5xx. */
    public String clientMessage() {
        return code.status() >= 500 ? code.defaultMessage() : getMessage();
    }
}
