package io.multistore.api.backend;

/**
 * A part named in CompleteMultipartUpload.
 *
 * @param checksum the part checksum the client named ({@code ChecksumCRC32C}, ...), or {@code null}
 */
public record CompletedPart(int partNumber, String etag, ObjectChecksum checksum) {

    public CompletedPart(int partNumber, String etag) {
        this(partNumber, etag, null);
    }
}
