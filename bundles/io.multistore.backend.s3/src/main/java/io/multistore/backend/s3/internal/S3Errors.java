package io.multistore.backend.s3.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.lib.dataplane.StoreErrors;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.NonRetryableException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates what the SDK throws into the {@link S3Exception} the client should see. The backend's own
 * authentication failures are the gateway's configuration problem, not the client's: they become
 * {@code ServiceUnavailable}, with the backend's answer in the message for the log.
 */
final class S3Errors {

    static final String STORE = "S3 backend";

    /** Codes that mean the gateway's backend credentials or signing are wrong. */
    private static final Set<String> BACKEND_AUTH_CODES = Set.of("AccessDenied", "InvalidAccessKeyId",
            "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "RequestTimeTooSkewed",
            "AuthorizationHeaderMalformed", "MissingSecurityHeader", "AllAccessDisabled", "AccountProblem");

    private S3Errors() {
    }

    static S3Exception translate(SdkException e, String resource) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof S3Exception sourced) {
                return sourced; // the credential source's own answer (OIDC exchange failed, module missing)
            }
        }
        if (e instanceof NonRetryableException && e.getSuppressed().length > 0
                && e.getSuppressed()[0] instanceof SdkException first) {
            // a retry refused because the body was already sent: what matters is why the attempt failed
            S3Exception cause = translate(first.getCause() instanceof SdkException inner ? inner : first, resource);
            cause.addSuppressed(e);
            return cause;
        }
        if (e instanceof AwsServiceException service) {
            return translateService(service, resource);
        }
        // connection refused, timeouts, broken connections, client-side failures
        return new S3Exception(S3ErrorCode.ServiceUnavailable, STORE + " unreachable: " + e.getMessage(),
                resource, e);
    }

    private static S3Exception translateService(AwsServiceException e, String resource) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return fromAnswer(e.statusCode(), code, message, resource, e);
    }

    /**
     * The S3 error for a store's answer, the same for both planes: the SDK's exceptions (control plane) and the
     * status and error document of a data-plane exchange.
     *
     * @param code    the store's error code, or {@code null} (HEAD answers carry none)
     * @param message the store's message, or {@code null}
     */
    static S3Exception fromAnswer(int status, String code, String message, String resource, Throwable cause) {
        String detail = "S3 backend answered HTTP " + status + (code == null ? "" : " " + code)
                + (message == null ? "" : ": " + message);
        if (status == 404) {
            S3ErrorCode mapped = "NoSuchBucket".equals(code) ? S3ErrorCode.NoSuchBucket
                    : "NoSuchUpload".equals(code) ? S3ErrorCode.NoSuchUpload : S3ErrorCode.NoSuchKey;
            return new S3Exception(mapped, mapped.defaultMessage(), resource, cause);
        }
        if (status != 304 && status != 412 && status != 416 && code != null && BACKEND_AUTH_CODES.contains(code)) {
            return StoreErrors.common(STORE, 403, detail, resource, cause);
        }
        if (status == 409 && "ConditionalRequestConflict".equals(code)) {
            // a concurrent conditional write; the client should retry
            return new S3Exception(S3ErrorCode.ServiceUnavailable, detail, resource, cause);
        }
        S3Exception common = StoreErrors.common(STORE, status, detail, resource, cause);
        if (common != null) {
            return common;
        }
        if ("InternalError".equals(code) || "ServiceUnavailable".equals(code) || "SlowDown".equals(code)) {
            // the store's own failure, also when a copy reports it in a 200 answer's body
            return new S3Exception(S3ErrorCode.ServiceUnavailable, detail, resource, cause);
        }
        S3ErrorCode known = knownClientError(code);
        if (known != null) {
            return new S3Exception(known, message, resource, cause);
        }
        return new S3Exception(S3ErrorCode.InvalidRequest, detail, resource, cause);
    }

    private static S3ErrorCode knownClientError(String code) {
        if (code == null) {
            return null;
        }
        try {
            S3ErrorCode known = S3ErrorCode.valueOf(code);
            return known.status() >= 400 && known.status() < 500 ? known : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
