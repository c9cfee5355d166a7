package io.multistore.api.backend;

import java.time.Instant;

/**
 * What HEAD tells about an object.
 *
 * @param etag      the entity tag with its quotes, as S3 sends it ({@code "d41d8cd98f00b204e9800998ecf8427e"})
 * @param versionId the version this is, on a store with versions; {@code null} where the store has none
 * @param tagCount  how many tags the object has (S3's {@code x-amz-tagging-count})
 * @param checksums the stored checksum and parts; {@link StoredChecksums#NONE} when the store keeps none
 */
public record ObjectMeta(String key, long size, String etag, Instant lastModified, ObjectAttributes attributes,
        String versionId, int tagCount, StoredChecksums checksums) {

    public ObjectMeta {
        attributes = attributes == null ? ObjectAttributes.NONE : attributes;
        checksums = checksums == null ? StoredChecksums.NONE : checksums;
    }

    /** An object without version, tags or stored checksums. */
    public ObjectMeta(String key, long size, String etag, Instant lastModified, ObjectAttributes attributes) {
        this(key, size, etag, lastModified, attributes, null, 0, StoredChecksums.NONE);
    }

    /** An object without stored checksums. */
    public ObjectMeta(String key, long size, String etag, Instant lastModified, ObjectAttributes attributes,
            String versionId, int tagCount) {
        this(key, size, etag, lastModified, attributes, versionId, tagCount, StoredChecksums.NONE);
    }

    /** An object without version or tags. */
    public ObjectMeta(String key, long size, String etag, Instant lastModified, ObjectAttributes attributes,
            StoredChecksums checksums) {
        this(key, size, etag, lastModified, attributes, null, 0, checksums);
    }

    /** This metadata with {@code checksums} instead. */
    public ObjectMeta withChecksums(StoredChecksums checksums) {
        return new ObjectMeta(key, size, etag, lastModified, attributes, versionId, tagCount, checksums);
    }
}
