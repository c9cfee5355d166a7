package io.multistore.backend.s3.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
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

    /** Codes that mean the gateway's backend credentials or signing are wrong. */
    private static final Set<String> BACKEND_AUTH_CODES = Set.of("AccessDenied", "InvalidAccessKeyId",
            "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "RequestTimeTooSkewed",
            "AuthorizationHeaderMalformed", "MissingSecurityHeader", "AllAccessDisabled", "AccountProblem");

    private S3Errors() {
    }

    static S3Exception translate(SdkException e, String resource) {
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
        return new S3Exception(S3ErrorCode.ServiceUnavailable, "S3 backend unreachable: " + e.getMessage(),
                resource, e);
    }

    private static S3Exception translateService(AwsServiceException e, String resource) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String detail = "S3 backend answered HTTP " + status + (code == null ? "" : " " + code) + ": "
                + e.getMessage();
        if (status == 304) {
            return new S3Exception(S3ErrorCode.NotModified, S3ErrorCode.NotModified.defaultMessage(), resource, e);
        }
        if (status == 412) {
            return new S3Exception(S3ErrorCode.PreconditionFailed,
                    S3ErrorCode.PreconditionFailed.defaultMessage(), resource, e);
        }
        if (status == 416) {
            return new S3Exception(S3ErrorCode.InvalidRange, S3ErrorCode.InvalidRange.defaultMessage(), resource, e);
        }
        if (status == 404) {
            S3ErrorCode mapped = "NoSuchBucket".equals(code) ? S3ErrorCode.NoSuchBucket
                    : "NoSuchUpload".equals(code) ? S3ErrorCode.NoSuchUpload : S3ErrorCode.NoSuchKey;
            return new S3Exception(mapped, mapped.defaultMessage(), resource, e);
        }
        if (status == 401 || status == 403 || (code != null && BACKEND_AUTH_CODES.contains(code))) {
            return new S3Exception(S3ErrorCode.ServiceUnavailable, "S3 backend refused the gateway's credentials: "
                    + detail, resource, e);
        }
        if (status == 501) {
            return new S3Exception(S3ErrorCode.NotImplemented, "S3 backend does not implement this: " + detail,
                    resource, e);
        }
        if (status >= 500 || status == 409 && "ConditionalRequestConflict".equals(code) || status == 429) {
            // 409 ConditionalRequestConflict: a concurrent conditional write; the client should retry
            return new S3Exception(S3ErrorCode.ServiceUnavailable, detail, resource, e);
        }
        S3ErrorCode known = knownClientError(code);
        if (known != null) {
            return new S3Exception(known, e.awsErrorDetails().errorMessage(), resource, e);
        }
        return new S3Exception(S3ErrorCode.InvalidRequest, detail, resource, e);
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
