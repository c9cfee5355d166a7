package io.multistore.api.backend;

import java.util.List;

/**
 * A page of ListParts.
 *
 * @param checksum the upload's checksum algorithm and type (value {@code null}), or {@code null} when the upload
 *                 was created without one
 */
public record PartListing(List<PartInfo> parts, boolean truncated, int nextPartNumberMarker,
        ObjectChecksum checksum) {

    public PartListing {
        parts = List.copyOf(parts);
    }

    public PartListing(List<PartInfo> parts, boolean truncated, int nextPartNumberMarker) {
        this(parts, truncated, nextPartNumberMarker, null);
    }
}
