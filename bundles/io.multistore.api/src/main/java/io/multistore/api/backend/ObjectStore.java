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

    /** Releases clients and connections. */
    @Override
    default void close() {
    }

    private static S3Exception notImplemented(String operation) {
        return new S3Exception(S3ErrorCode.NotImplemented, operation + " is not supported by this backend");
    }
}
