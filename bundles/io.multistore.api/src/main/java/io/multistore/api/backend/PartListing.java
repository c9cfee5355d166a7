package io.multistore.api.backend;

import java.util.List;

/** A page of ListParts. */
public record PartListing(List<PartInfo> parts, boolean truncated, int nextPartNumberMarker) {
    public PartListing {
        parts = List.copyOf(parts);
    }
}
