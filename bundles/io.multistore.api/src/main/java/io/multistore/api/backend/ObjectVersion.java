package io.multistore.api.backend;

import java.time.Instant;

/**
 * One entry of a version listing (ListObjectVersions): a version of an object or a delete marker.
 *
 * @param versionId    the store's version id ({@code "null"} for a version written while versioning was off)
 * @param latest       whether this is the key's current version
 * @param deleteMarker whether this is a delete marker (then {@code size} is 0 and {@code etag} is {@code null})
 * @param etag         quoted, as in {@link ObjectMeta}
 */
public record ObjectVersion(String key, String versionId, boolean latest, boolean deleteMarker, long size,
        String etag, Instant lastModified) {
}
