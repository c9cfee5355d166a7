package io.multistore.backend.azure.internal;

import com.azure.core.exception.AzureException;
import com.azure.storage.blob.models.BlobStorageException;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.lib.dataplane.StoreErrors;
import java.io.UncheckedIOException;

/**
 * Azure's answers as the S3 errors a client understands, the same for both planes (the SDK's
 * {@link BlobStorageException} and a data-plane status with its {@code x-ms-error-code}):
 * <ul>
 *   <li>{@code BlobNotFound} → NoSuchKey, {@code ContainerNotFound} → NoSuchBucket;</li>
 *   <li>{@code ConditionNotMet}, and {@code BlobAlreadyExists} of a write made with {@code If-None-Match: *} →
 *       PreconditionFailed; 304 → NotModified; {@code InvalidRange} → InvalidRange;</li>
 *   <li>authentication and authorization failures (401/403) → AccessDenied, with Azure's answer for the log
 *       only;</li>
 *   <li>{@code InvalidBlockList} / {@code InvalidBlockId} → InvalidPart;</li>
 *   <li>5xx, throttling and unreachable → ServiceUnavailable.</li>
 * </ul>
 */
final class AzureErrors {

    static final String STORE = "Azure backend";

    private AzureErrors() {
    }

    static S3Exception translate(RuntimeException e, String resource) {
        if (e instanceof S3Exception s3) {
            return s3;
        }
        if (e instanceof BlobStorageException b) {
            String code = b.getErrorCode() == null ? null : b.getErrorCode().toString();
            return fromAnswer(b.getStatusCode(), code, b.getServiceMessage(), resource, b);
        }
        if (e instanceof UncheckedIOException || e instanceof AzureException
                || e.getCause() instanceof java.io.IOException) {
            return new S3Exception(S3ErrorCode.ServiceUnavailable, STORE + " unreachable: " + e, resource, e);
        }
        return new S3Exception(S3ErrorCode.ServiceUnavailable, STORE + " failed: " + e, resource, e);
    }

    /**
     * @param code    Azure's error code ({@code x-ms-error-code}), or {@code null}
     * @param message Azure's message, or {@code null}
     */
    static S3Exception fromAnswer(int status, String code, String message, String resource, Throwable cause) {
        String detail = STORE + " answered HTTP " + status + (code == null ? "" : " " + code)
                + (message == null ? "" : ": " + firstLine(message));
        if (status == 404) {
            if ("ContainerNotFound".equals(code)) {
                return new S3Exception(S3ErrorCode.NoSuchBucket, S3ErrorCode.NoSuchBucket.defaultMessage(), null,
                        detail, cause);
            }
            return new S3Exception(S3ErrorCode.NoSuchKey, S3ErrorCode.NoSuchKey.defaultMessage(), resource, detail,
                    cause);
        }
        if (status == 401 || status == 403) {
            // the gateway's account key, SAS token or network rules: never what the client did
            return new S3Exception(S3ErrorCode.AccessDenied, S3ErrorCode.AccessDenied.defaultMessage(), resource,
                    detail, cause);
        }
        if ("ConditionNotMet".equals(code) || "BlobAlreadyExists".equals(code)
                || "TargetConditionNotMet".equals(code)) {
            return new S3Exception(S3ErrorCode.PreconditionFailed, S3ErrorCode.PreconditionFailed.defaultMessage(),
                    resource, detail, cause);
        }
        if ("SourceConditionNotMet".equals(code)) {
            return new S3Exception(S3ErrorCode.PreconditionFailed, S3ErrorCode.PreconditionFailed.defaultMessage(),
                    resource, detail, cause);
        }
        if ("InvalidBlockList".equals(code) || "InvalidBlockId".equals(code)) {
            return new S3Exception(S3ErrorCode.InvalidPart, S3ErrorCode.InvalidPart.defaultMessage(), resource,
                    detail, cause);
        }
        if ("InvalidRange".equals(code) || status == 416) {
            return new S3Exception(S3ErrorCode.InvalidRange, S3ErrorCode.InvalidRange.defaultMessage(), resource,
                    detail, cause);
        }
        if ("ContainerBeingDeleted".equals(code) || "ContainerDisabled".equals(code)) {
            return new S3Exception(S3ErrorCode.ServiceUnavailable, null, resource, detail, cause);
        }
        if ("OutOfRangeInput".equals(code) || "InvalidResourceName".equals(code)) {
            return new S3Exception(S3ErrorCode.KeyTooLongError, S3ErrorCode.KeyTooLongError.defaultMessage(),
                    resource, detail, cause);
        }
        if ("RequestBodyTooLarge".equals(code)) {
            return new S3Exception(S3ErrorCode.EntityTooLarge, S3ErrorCode.EntityTooLarge.defaultMessage(), resource,
                    detail, cause);
        }
        S3Exception common = StoreErrors.common(STORE, status, detail, resource, cause);
        if (common != null) {
            return common.code().status() >= 500
                    ? new S3Exception(common.code(), null, resource, detail, cause) : common;
        }
        return new S3Exception(S3ErrorCode.InvalidRequest, S3ErrorCode.InvalidRequest.defaultMessage(), resource,
                detail, cause);
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
