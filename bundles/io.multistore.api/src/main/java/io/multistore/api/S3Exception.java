package io.multistore.api;

import java.util.Objects;

/**
 * The one exception that crosses bundle boundaries: it carries the S3 error code the client will see. Backends
 * translate their library's exceptions into this type; anything else reaching the front end becomes InternalError.
 * <p>
 * Two messages per failure: the {@link #clientMessage() client message} (the message given for 4xx codes, the code's
 * generic text for 5xx) and a {@link #detail() detail} for the log only — a path, an endpoint, what the backend
 * answered. {@link #getMessage()} joins both, for logs.
 */
public class S3Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final S3ErrorCode code;
    private final String clientText;
    private final String resource;
    private final String detail;

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
        this(code, message, resource, null, cause);
    }

    /**
     * @param message  what the client may read (for 4xx codes)
     * @param resource the bucket or key the error is about, or {@code null}
     * @param detail   what only the log may read, or {@code null}
     */
    public S3Exception(S3ErrorCode code, String message, String resource, String detail, Throwable cause) {
        super(join(code, message, detail), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.clientText = message == null ? code.defaultMessage() : message;
        this.resource = resource;
        this.detail = detail;
    }

    /** A client error whose message is generic and whose detail goes to the log only. */
    public static S3Exception withDetail(S3ErrorCode code, String clientMessage, String detail) {
        return new S3Exception(code, clientMessage, null, detail, null);
    }

    private static String join(S3ErrorCode code, String message, String detail) {
        String m = message == null ? code.defaultMessage() : message;
        return detail == null ? m : m + " (" + detail + ")";
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

    /** What only the log may read, or {@code null}. */
    public String detail() {
        return detail;
    }

    /**
     * Whether the condition was already logged where it arose, once, when it began (a missing module, an
     * unconfigured provider): the gateway then does not log it again for every request it fails.
     *
     * @since 1.3
     */
    public boolean reported() {
        return false;
    }

    /** The message safe to show a client: the message for 4xx, the generic text for 5xx; never the detail. */
    public String clientMessage() {
        return code.status() >= 500 ? code.defaultMessage() : clientText;
    }
}
