package io.multistore.api.backend;

import java.time.Instant;

/**
 * One object in a listing. {@code etag} is quoted, as in {@link ObjectMeta}.
 */
public record ObjectSummary(String key, long size, String etag, Instant lastModified) {
}
