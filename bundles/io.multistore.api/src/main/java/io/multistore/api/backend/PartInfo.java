package io.multistore.api.backend;

import java.time.Instant;

/**
 * An uploaded part of a multipart upload. {@code etag} is quoted.
 *
 * @param checksum the part's checksum, or {@code null} when none was kept
 */
public record PartInfo(int partNumber, String etag, long size, Instant lastModified, ObjectChecksum checksum) {

    public PartInfo(int partNumber, String etag, long size, Instant lastModified) {
        this(partNumber, etag, size, lastModified, null);
    }
}
