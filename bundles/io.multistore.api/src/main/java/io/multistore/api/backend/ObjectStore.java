package io.multistore.api.backend;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One backend bucket (plus nothing else: {@code backend_prefix} is the gateway's business). Methods throw
 * {@link S3Exception} with the code the client should see ({@code NoSuchKey}, {@code PreconditionFailed},
 * {@code ServiceUnavailable} when the backend cannot be reached).
 * <p>
 * Writes are all or nothing: if reading an {@link ObjectBody} throws (the client went away, a checksum did not
 * match), the store must leave the previous object, if any, untouched and no partial object behind.
 * <p>
 * Operations beyond the core set have default implementations that answer {@code NotImplemented}. The
 * {@link Preconditions} argument of every method is never {@code null} ({@link Preconditions#NONE} when the request
 * has none). Messages of client errors (4xx) reach the client: they name keys, never a path, an endpoint or an
 * account; put such detail into {@link S3Exception#detail()}.
 */
@ConsumerType
public interface ObjectStore extends AutoCloseable {

    /** Metadata of an object; {@code conditions} are evaluated as for HEAD (304 / 412). */
    ObjectMeta head(String key, Preconditions conditions);

    /**
     * Opens an object for reading.
     *
     * @param range {@code null} for the whole object
     */
    ObjectContent get(String key, ByteRange range, Preconditions conditions);

    /**
     * Stores an object from a stream; {@code conditions} ({@code If-Match}, {@code If-None-Match: *}) are checked
     * atomically with the write where the backend can, else immediately before it.
     */
    ObjectMeta put(String key, ObjectBody body, ObjectAttributes attributes, Preconditions conditions);

    /** Deletes an object; deleting an absent key succeeds, as in S3. */
    void delete(String key);

    /**
     * Deletes several objects (DeleteObjects). The default deletes them one by one; a backend with a native batch
     * call overrides it.
     *
     * @return the keys that could not be deleted, with the error of each; empty when all are gone
     */
    default Map<String, S3Exception> deleteObjects(List<String> keys) {
        Map<String, S3Exception> failed = new LinkedHashMap<>();
        for (String key : keys) {
            try {
                delete(key);
            } catch (S3Exception e) {
                failed.put(key, e);
            }
        }
        return failed;
    }

    /** Metadata of an object, or {@code null} when there is none (for write preconditions and copies). */
    default ObjectMeta headOrNull(String key) {
        try {
            return head(key, Preconditions.NONE);
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NoSuchKey) {
                return null;
            }
            throw e;
        }
    }

    /** One page of a listing in S3's lexicographic (UTF-8 byte) key order. */
    ListPage list(ListRequest request);

    /**
     * Server-side copy.
     *
     * @param attributes {@code null} to copy the source's attributes, else replace them
     */
    default ObjectMeta copy(String sourceKey, Preconditions sourceConditions, String targetKey,
            ObjectAttributes attributes) {
        throw notImplemented("CopyObject");
    }

    /**
     * CopyObject whose source may live in another virtual bucket: {@code source} is the source bucket's store
     * ({@code this} for a copy within one bucket), {@code sourceKey} a backend key of it. The default copies through
     * {@link #copy} when the source is this store; otherwise it streams the source into {@link #put}, which is all
     * or nothing, so a failure mid-stream leaves no partial target. A backend that can copy between two of its
     * stores server-side (same endpoint and account) overrides this and falls back to the default otherwise.
     *
     * @param attributes {@code null} to copy the source's attributes, else replace them
     * @since 1.3
     */
    default ObjectMeta copyFrom(ObjectStore source, String sourceKey, Preconditions sourceConditions,
            String targetKey, ObjectAttributes attributes) {
        if (source == this) {
            return copy(sourceKey, sourceConditions, targetKey, attributes);
        }
        ObjectContent content = source.get(sourceKey, null, sourceConditions);
        try {
            ObjectAttributes attrs = attributes == null ? content.meta().attributes() : attributes;
            return put(targetKey, new ObjectBody(content.stream(), content.meta().size()), attrs,
                    Preconditions.NONE);
        } finally {
            closeQuietly(content);
        }
    }

    /**
     * UploadPartCopy: bytes {@code range} of the source object ({@code null}: all of it) become part
     * {@code partNumber} of an upload of {@code key}. {@code source} is the source bucket's store ({@code this}
     * within one bucket). A range that does not lie wholly inside the source is {@code InvalidRange}; failed
     * source conditions are {@code PreconditionFailed}. The default streams the range from {@code source.get}
     * into {@link #uploadPart}, which works for every backend; a backend that can copy server-side overrides it.
     *
     * @param range a {@code first-last} range (never a suffix or open range), or {@code null}
     * @since 1.3
     */
    default PartInfo uploadPartCopy(ObjectStore source, String sourceKey, ByteRange range,
            Preconditions sourceConditions, String key, String uploadId, int partNumber) {
        ObjectContent content = source.get(sourceKey, range, sourceConditions);
        try {
            if (range != null) {
                ContentRange served = content.range();
                long total = served == null ? content.meta().size() : served.total();
                if (range.last() >= total || range.first() >= total) {
                    throw new S3Exception(S3ErrorCode.InvalidRange, "Range specified is not valid for source "
                            + "object of size: " + total);
                }
                if (served == null || served.first() != range.first() || served.last() != range.last()) {
                    // a store that ignored the range: never store the wrong bytes as the part
                    throw new S3Exception(S3ErrorCode.NotImplemented, "this backend cannot read a byte range");
                }
            }
            return uploadPart(key, uploadId, partNumber, new ObjectBody(content.stream(), content.length()));
        } finally {
            closeQuietly(content);
        }
    }

    /** @return the new upload id */
    default String createMultipartUpload(String key, ObjectAttributes attributes) {
        throw notImplemented("CreateMultipartUpload");
    }

    /**
     * CreateMultipartUpload with a flexible checksum ({@code x-amz-checksum-algorithm}, {@code x-amz-checksum-type}):
     * the store keeps the algorithm and type with the upload, reports them in {@link PartListing#checksum()} and
     * keeps each part's {@link ObjectBody#checksum()}. The default ignores the checksum.
     *
     * @param checksum algorithm and type (value {@code null}), or {@code null} for none
     */
    default String createMultipartUpload(String key, ObjectAttributes attributes, ObjectChecksum checksum) {
        return createMultipartUpload(key, attributes);
    }

    default PartInfo uploadPart(String key, String uploadId, int partNumber, ObjectBody body) {
        throw notImplemented("UploadPart");
    }

    default ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts) {
        throw notImplemented("CompleteMultipartUpload");
    }

    /**
     * Completes an upload only if the current object meets {@code conditions} ({@code If-Match},
     * {@code If-None-Match: *}), as {@link #put} checks them. The default checks them immediately before completing;
     * a backend that can make the check atomic with the commit overrides this.
     */
    default ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts,
            Preconditions conditions) {
        if (!conditions.isEmpty()) {
            conditions.checkWrite(headOrNull(key));
        }
        return completeMultipartUpload(key, uploadId, parts);
    }

    /**
     * Completes an upload and stores {@code checksum}, the object's checksum the gateway computed from the parts'
     * checksums (composite or full-object), with it, together with the parts' sizes and checksums. A store whose
     * backend computes checksums itself may return its own instead. The default ignores the checksum.
     *
     * @param checksum the object's checksum, or {@code null} when the upload has none
     */
    default ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts,
            Preconditions conditions, ObjectChecksum checksum) {
        return completeMultipartUpload(key, uploadId, parts, conditions);
    }

    /**
     * HEAD of one part ({@code ?partNumber=N}): the object's metadata and the part's byte range, with an empty
     * stream. The default computes the range from {@link ObjectMeta#checksums()}.
     *
     * @throws S3Exception {@code InvalidPartNumber} when the object has no such part
     */
    default ObjectContent headPart(String key, int partNumber, Preconditions conditions) {
        ObjectMeta meta = head(key, conditions);
        return new ObjectContent(meta, InputStream.nullInputStream(), StoredChecksums.partRange(meta, partNumber));
    }

    /**
     * GET of one part ({@code ?partNumber=N}). The default computes the range from {@link ObjectMeta#checksums()}
     * and reads it on condition that the object is still the one measured.
     *
     * @throws S3Exception {@code InvalidPartNumber} when the object has no such part
     */
    default ObjectContent getPart(String key, int partNumber, Preconditions conditions) {
        ObjectMeta meta = head(key, conditions);
        ContentRange range = StoredChecksums.partRange(meta, partNumber);
        Preconditions same = meta.etag() == null ? conditions : new Preconditions(List.of(meta.etag()),
                conditions.ifNoneMatch(), conditions.ifModifiedSince(), conditions.ifUnmodifiedSince());
        ObjectContent content = get(key, range == null ? null : new ByteRange(range.first(), range.last(), -1),
                same);
        if (range != null && content.range() == null && range.length() == content.meta().size()) {
            // a range of the whole object, served whole: still answered as the part's range
            return new ObjectContent(content.meta(), content.stream(), range);
        }
        return content;
    }

    default void abortMultipartUpload(String key, String uploadId) {
        throw notImplemented("AbortMultipartUpload");
    }

    /** @param partNumberMarker list parts after this number (0 for the start) */
    default PartListing listParts(String key, String uploadId, int partNumberMarker, int maxParts) {
        throw notImplemented("ListParts");
    }

    default UploadListing listMultipartUploads(String prefix, String keyMarker, String uploadIdMarker,
            int maxUploads) {
        throw notImplemented("ListMultipartUploads");
    }

    /**
     * CreateBucket on a configured virtual bucket: makes the backend container (a directory, a bucket) exist.
     * Creating one that exists succeeds, as S3 does in {@code us-east-1}.
     */
    default void createBucket() {
        throw notImplemented("CreateBucket");
    }

    /**
     * DeleteBucket: removes the backend container, which must hold no objects ({@code BucketNotEmpty}). Afterwards
     * requests answer {@code NoSuchBucket} until it is created again.
     */
    default void deleteBucket() {
        throw notImplemented("DeleteBucket");
    }

    // ---------------------------------------------------------------- versions

    /**
     * Whether this store keeps object versions (ListObjectVersions, {@code versionId}, delete markers). When false
     * the gateway answers as S3 does for a bucket that was never versioned and calls no version method but
     * {@link #putVersioning}, which may then turn versions on.
     */
    default boolean supportsVersions() {
        return false;
    }

    /** GetBucketVersioning: {@code Enabled}, {@code Suspended}, or {@code null} when versioning was never on. */
    default String versioningStatus() {
        throw notImplemented("GetBucketVersioning");
    }

    /** PutBucketVersioning: {@code status} is {@code Enabled} or {@code Suspended}. */
    default void putVersioning(String status) {
        throw notImplemented("PutBucketVersioning");
    }

    /** HEAD of a version ({@code versionId} {@code null}: the current one). */
    default ObjectMeta headVersion(String key, String versionId, Preconditions conditions) {
        if (versionId == null) {
            return head(key, conditions);
        }
        throw notImplemented("HeadObject of a version");
    }

    /** GET of a version ({@code versionId} {@code null}: the current one). */
    default ObjectContent getVersion(String key, String versionId, ByteRange range, Preconditions conditions) {
        if (versionId == null) {
            return get(key, range, conditions);
        }
        throw notImplemented("GetObject of a version");
    }

    /**
     * Deletes a version for good, or ({@code versionId} {@code null}) the current object, which on a versioned
     * store leaves a delete marker.
     */
    default DeleteResult deleteVersion(String key, String versionId) {
        if (versionId == null) {
            delete(key);
            return DeleteResult.UNVERSIONED;
        }
        throw notImplemented("DeleteObject of a version");
    }

    /** One page of ListObjectVersions. */
    default VersionListing listVersions(VersionListRequest request) {
        throw notImplemented("ListObjectVersions");
    }

    /** CopyObject from a version of the source ({@code null}: the current one); see {@link #copy}. */
    default ObjectMeta copyVersion(String sourceKey, String sourceVersionId, Preconditions sourceConditions,
            String targetKey, ObjectAttributes attributes) {
        if (sourceVersionId == null) {
            return copy(sourceKey, sourceConditions, targetKey, attributes);
        }
        throw notImplemented("CopyObject of a version");
    }

    // ---------------------------------------------------------------- tags

    /**
     * Whether this store keeps object tags: {@link ObjectAttributes#tags()} on writes and the tag methods below.
     * When false the gateway refuses tags with {@code NotImplemented} rather than dropping them.
     */
    default boolean supportsTags() {
        return false;
    }

    /**
     * GetObjectTagging ({@code versionId} {@code null}: the current version).
     *
     * @return the tags in their stored order, empty when there are none
     */
    default Map<String, String> getTags(String key, String versionId) {
        throw notImplemented("GetObjectTagging");
    }

    /**
     * PutObjectTagging: replaces the object's tags (an empty map removes them all), changing nothing else.
     *
     * @return the version whose tags were set, or {@code null} on a store without versions
     */
    default String putTags(String key, String versionId, Map<String, String> tags) {
        throw notImplemented("PutObjectTagging");
    }

    /** Releases clients and connections. */
    @Override
    default void close() {
    }

    private static void closeQuietly(ObjectContent content) {
        try {
            content.close();
        } catch (java.io.IOException | RuntimeException e) {
            // the source connection is released either way; the copy's outcome is already decided
        }
    }

    private static S3Exception notImplemented(String operation) {
        return new S3Exception(S3ErrorCode.NotImplemented, operation + " is not supported by this backend");
    }
}
