package io.multistore.lib.dataplane;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.IOException;

/**
 * What every backend does alike with a store's failure: the statuses whose S3 meaning does not depend on the store.
 * A backend maps the rest (not-found and client errors, whose codes differ per store) itself. The store's own
 * authentication failures are the gateway's configuration problem, not the client's: they become
 * {@code ServiceUnavailable}, with the store's answer in the log-only message.
 */
public final class StoreErrors {

    private StoreErrors() {
    }

    /**
     * The S3 error for a status every store means the same by, or {@code null} when the store's code decides.
     *
     * @param store    the store's name for the log ("S3 backend")
     * @param detail   the store's answer, for the log (5xx messages never reach the client)
     * @param resource the bucket or key
     */
    public static S3Exception common(String store, int status, String detail, String resource, Throwable cause) {
        return switch (status) {
            case 304 -> new S3Exception(S3ErrorCode.NotModified, S3ErrorCode.NotModified.defaultMessage(), resource,
                    cause);
            case 412 -> new S3Exception(S3ErrorCode.PreconditionFailed,
                    S3ErrorCode.PreconditionFailed.defaultMessage(), resource, cause);
            case 416 -> new S3Exception(S3ErrorCode.InvalidRange, S3ErrorCode.InvalidRange.defaultMessage(),
                    resource, cause);
            case 401, 403 -> new S3Exception(S3ErrorCode.ServiceUnavailable, store
                    + " refused the gateway's credentials: " + detail, resource, cause);
            case 501 -> new S3Exception(S3ErrorCode.NotImplemented, store + " does not implement this: " + detail,
                    resource, cause);
            case 429 -> new S3Exception(S3ErrorCode.ServiceUnavailable, detail, resource, cause);
            default -> status >= 500 ? new S3Exception(S3ErrorCode.ServiceUnavailable, detail, resource, cause) : null;
        };
    }

    /** No answer at all: refused, reset or timed-out connections. */
    public static S3Exception unreachable(String store, IOException e, String resource) {
        return new S3Exception(S3ErrorCode.ServiceUnavailable, store + " unreachable: " + e, resource, e);
    }
}
