package io.multistore.backend.gcs.internal;

import com.google.cloud.BaseServiceException;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.lib.dataplane.StoreErrors;
import java.util.Locale;

/**
 * GCS failures as S3 errors, for both planes: 404 → {@code NoSuchKey} (or {@code NoSuchBucket} when GCS says the
 * bucket is missing), 412 → {@code PreconditionFailed}, 409 on a bucket → {@code BucketNotEmpty}, 401/403 (the
 * gateway's own credentials) → 503 with GCS's answer in the log only, 429/5xx (after the retries) → 503.
 */
final class GcsErrors {

    static final String STORE = "GCS backend";

    private GcsErrors() {
    }

    /**
     * @param status   GCS's HTTP status
     * @param reason   GCS's error reason or XML code ({@code notFound}, {@code NoSuchBucket}), or {@code null}
     * @param message  GCS's message, for the log (and to tell a missing bucket from a missing object)
     * @param resource the key or bucket
     */
    static S3Exception fromAnswer(int status, String reason, String message, String resource, Throwable cause) {
        String detail = STORE + " answered " + status + (reason == null ? "" : " " + reason)
                + (message == null ? "" : ": " + message);
        if (status == 404) {
            if (bucketMissing(reason, message)) {
                return new S3Exception(S3ErrorCode.NoSuchBucket, "The backend bucket does not exist", null, detail,
                        cause);
            }
            return new S3Exception(S3ErrorCode.NoSuchKey, S3ErrorCode.NoSuchKey.defaultMessage(), resource, detail,
                    cause);
        }
        if (status == 409) {
            return new S3Exception(S3ErrorCode.BucketNotEmpty, S3ErrorCode.BucketNotEmpty.defaultMessage(), resource,
                    detail, cause);
        }
        if (status == 401 || status == 403) {
            return new S3Exception(S3ErrorCode.ServiceUnavailable, null, resource,
                    STORE + " refused the gateway's credentials: " + detail, cause);
        }
        if (status >= 500 || status == 429) {
            return new S3Exception(S3ErrorCode.ServiceUnavailable, null, resource, detail, cause);
        }
        S3Exception common = StoreErrors.common(STORE, status, detail, resource, cause);
        if (common != null) {
            return common;
        }
        // a 400 is a request this gateway built: its fault, not the client's
        return new S3Exception(S3ErrorCode.InternalError, null, resource, detail, cause);
    }

    /** A control-plane (client library) failure. */
    static S3Exception translate(BaseServiceException e, String resource) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof S3Exception sourced) {
                return sourced; // the credential source's own answer (OIDC exchange failed, module missing)
            }
        }
        if (e.getCode() <= 0) {
            // no answer: connection refused, reset, timed out (after the library's retries)
            return new S3Exception(S3ErrorCode.ServiceUnavailable, null, resource,
                    STORE + " unreachable: " + e.getMessage(), e);
        }
        return fromAnswer(e.getCode(), e.getReason(), e.getMessage(), resource, e);
    }

    /** A failure of a bucket-level call (listing): a 404 can only mean the bucket. */
    static S3Exception translateForBucket(BaseServiceException e, String resource) {
        if (e.getCode() == 404) {
            return fromAnswer(404, "NoSuchBucket", e.getMessage(), resource, e);
        }
        return translate(e, resource);
    }

    private static boolean bucketMissing(String reason, String message) {
        if ("NoSuchBucket".equals(reason)) {
            return true;
        }
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("bucket") && (m.contains("not exist") || m.contains("not found"))
                && !m.contains("no such object");
    }
}
