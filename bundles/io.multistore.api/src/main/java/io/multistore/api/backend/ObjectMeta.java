package io.multistore.api.backend;

import java.time.Instant;

/**
 * What HEAD tells about an object.
 *
 * @param etag      the entity tag with its quotes, as S3 sends it ({@code "d41d8cd98f00b204e9800998ecf8427e"})
 * @param checksums the stored checksum and parts; {@link StoredChecksums#NONE} when the store keeps none
 */
public record ObjectMeta(String key, long size, String etag, Instant lastModified, ObjectAttributes attributes,
        StoredChecksums checksums) {

    public ObjectMeta {
        attributes = attributes == null ? ObjectAttributes.NONE : attributes;
        checksums = checksums == null ? StoredChecksums.NONE : checksums;
    }

    public ObjectMeta(String key, long size, String etag, Instant lastModified, ObjectAttributes attributes) {
        this(key, size, etag, lastModified, attributes, StoredChecksums.NONE);
    }
}
