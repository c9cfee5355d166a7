package io.multistore.auth.sts.internal;

/**
 * An STS failure as the client sees it: the AWS STS error code, its HTTP status and a message safe to show. The
 * codes and statuses are those the Rust multistore answers with.
 */
final class StsException extends Exception {
    private static final long serialVersionUID = 1L;

    enum Code {
        /** A missing or unusable request parameter. */
        InvalidParameterValue(400),
        /** The JWT failed a check: signature, issuer, audience, subject, time, algorithm, key. */
        InvalidIdentityToken(400),
        /** The role does not exist (multistore's answer for an unknown RoleArn). */
        MalformedPolicyDocument(400),
        AccessDenied(403),
        /** Something the operator must fix (no session token key); the message stays generic. */
        InternalError(500),
        /** The config provider cannot be reached. */
        ServiceUnavailable(503);

        final int status;

        Code(int status) {
            this.status = status;
        }
    }

    private final Code code;

    StsException(Code code, String message) {
        super(message);
        this.code = code;
    }

    StsException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    Code code() {
        return code;
    }

    static StsException token(String message) {
        return new StsException(Code.InvalidIdentityToken, message);
    }

    /** What the client may read: the detail for 4xx, a generic text for 5xx. */
    String clientMessage() {
        return code.status >= 500 ? (code == Code.ServiceUnavailable ? "service unavailable" : "internal error")
                : getMessage();
    }
}
