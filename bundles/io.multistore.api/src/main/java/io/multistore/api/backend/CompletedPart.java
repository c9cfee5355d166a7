package io.multistore.api.backend;

/** A part named in CompleteMultipartUpload. */
public record CompletedPart(int partNumber, String etag) {
}
