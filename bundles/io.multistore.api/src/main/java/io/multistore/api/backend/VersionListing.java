package io.multistore.api.backend;

import java.util.List;

/**
 * One page of a version listing, in key order and, per key, newest first.
 *
 * @param nextKeyMarker       where the next page starts when {@code truncated}, else {@code null}
 * @param nextVersionIdMarker with {@code nextKeyMarker}, or {@code null}
 */
public record VersionListing(List<ObjectVersion> versions, List<String> commonPrefixes, boolean truncated,
        String nextKeyMarker, String nextVersionIdMarker) {

    public VersionListing {
        versions = List.copyOf(versions);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
