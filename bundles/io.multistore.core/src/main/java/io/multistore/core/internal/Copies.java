package io.multistore.core.internal;

import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.Preconditions;
import io.multistore.core.internal.S3Gateway.Call;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The source side of CopyObject and UploadPartCopy: {@code x-amz-copy-source} names a bucket (any virtual bucket the
 * caller may read, not only the target) and a key. The source is authorized as a read and the target as a write,
 * both before any backend is touched; the gateway then leases the source bucket's store beside the target's, and the
 * target store decides whether it can copy server-side ({@link io.multistore.api.backend.ObjectStore#copyFrom}) or
 * the bytes stream through the gateway.
 */
final class Copies {

    private static final int MAX_PART_NUMBER = 10000;

    private Copies() {
    }

    /** The parsed {@code x-amz-copy-source}; {@code versionId} as sent, or {@code null}. */
    record Source(String bucket, String key, String versionId) {
    }

    /**
     * Parses {@code x-amz-copy-source} ({@code bucket/key} or {@code /bucket/key}, URL-encoded).
     *
     * @throws S3Exception InvalidArgument for a header without bucket and key, or with a query other than
     *                     {@code versionId}
     */
    static Source parse(String header) {
        String value = header.trim();
        String versionId = null;
        int q = value.indexOf('?');
        if (q >= 0) {
            versionId = Versions.copySourceVersion(value.substring(q + 1));
            value = value.substring(0, q);
        }
        String source = Keys.percentDecode(value);
        if (source.startsWith("/")) {
            source = source.substring(1);
        }
        int slash = source.indexOf('/');
        if (slash <= 0 || slash == source.length() - 1) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Copy Source must mention the source bucket and key: "
                    + "sourcebucket/sourcekey", "x-amz-copy-source", null);
        }
        return new Source(source.substring(0, slash), Keys.validateKey(source.substring(slash + 1)), versionId);
    }

    /**
     * Authorizes a copy: a read ({@code get_object}, {@code get_object_version} for a version) of the source in its
     * own bucket and {@code write} of the target. Fills {@link Call#copySourceKey}, {@link Call#copySourceVersionId}
     * and {@link Call#sourceBucket}.
     *
     * @param lookup resolves a bucket name as the gateway does (exact entries, then patterns)
     */
    static void authorize(Call call, Action write, Function<String, Optional<BucketConfig>> lookup) {
        Source source = parse(call.exchange.header("x-amz-copy-source"));
        call.copySourceKey = source.key();
        call.copySourceVersionId = source.versionId();
        if (source.bucket().equals(call.bucket.name())) {
            call.sourceBucket = call.bucket;
        } else {
            call.sourceBucket = lookup.apply(source.bucket()).orElseThrow(() -> new S3Exception(
                    S3ErrorCode.NoSuchBucket, S3ErrorCode.NoSuchBucket.defaultMessage(), source.bucket(), null));
        }
        io.multistore.core.internal.auth.Authorizer.authorize(call.identity(), call.sourceBucket,
                source.versionId() == null ? Action.GET_OBJECT : Action.GET_OBJECT_VERSION, source.key());
        call.authorize(write, call.request.key());
    }

    /** Whether the copy reads from another virtual bucket than it writes to. */
    static boolean crossBucket(Call call) {
        return call.sourceBucket != null && call.sourceBucket != call.bucket;
    }

    /** The source's backend key: the source bucket's {@code backend_prefix} joined. */
    static String sourceBackendKey(Call call) {
        return call.sourceBucket.backendPrefix() + call.copySourceKey;
    }

    /** Source conditions: {@code x-amz-copy-source-if-*}. */
    static Preconditions sourceConditions(Call call) {
        return S3Operations.readPreconditions(call.exchange, "x-amz-copy-source-if-match",
                "x-amz-copy-source-if-none-match", "x-amz-copy-source-if-modified-since",
                "x-amz-copy-source-if-unmodified-since");
    }

    /** UploadPartCopy: a range of the source becomes a part; answers {@code CopyPartResult}. */
    static void uploadPartCopy(Call call) throws IOException {
        String key = call.request.key();
        int partNumber = S3Operations.intParam(call.request.param("partNumber"), "partNumber", 1, MAX_PART_NUMBER);
        String uploadId = S3Operations.uploadId(call);
        ByteRange range = copySourceRange(call.exchange.header("x-amz-copy-source-range"));
        PartInfo part;
        try {
            part = call.store.uploadPartCopy(call.sourceStore, sourceBackendKey(call), range,
                    sourceConditions(call), call.backendKey(key), uploadId, partNumber);
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NotModified) {
                throw new S3Exception(S3ErrorCode.PreconditionFailed); // a copy source condition fails with 412
            }
            throw e;
        }
        Instant modified = part.lastModified() == null ? Instant.now() : part.lastModified();
        XmlWriter x = new XmlWriter().root("CopyPartResult");
        x.element("LastModified", HttpDates.iso(modified));
        x.element("ETag", part.etag());
        S3Operations.sendXml(call, 200, x.end().toBytes());
    }

    /**
     * {@code x-amz-copy-source-range}: only {@code bytes=first-last} is accepted, as S3 accepts it.
     *
     * @return {@code null} when the header is absent (the whole source)
     */
    static ByteRange copySourceRange(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("bytes=")) {
            String spec = value.substring(6);
            int dash = spec.indexOf('-');
            if (dash > 0 && dash < spec.length() - 1) {
                try {
                    long first = Long.parseLong(spec.substring(0, dash));
                    long last = Long.parseLong(spec.substring(dash + 1));
                    if (first >= 0 && last >= first) {
                        return new ByteRange(first, last, -1);
                    }
                } catch (NumberFormatException e) {
                    // below
                }
            }
        }
        throw new S3Exception(S3ErrorCode.InvalidArgument, "The x-amz-copy-source-range value must be of the form "
                + "bytes=first-last where first and last are the zero-based offsets of the first and last bytes to "
                + "copy", "x-amz-copy-source-range", null);
    }
}
