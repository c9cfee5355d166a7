package io.multistore.api.backend;

import java.time.Instant;

/** An uploaded part of a multipart upload. {@code etag} is quoted. */
public record PartInfo(int partNumber, String etag, long size, Instant lastModified) {
}
