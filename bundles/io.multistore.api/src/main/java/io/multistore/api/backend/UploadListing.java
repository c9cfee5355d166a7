package io.multistore.api.backend;

import java.util.List;

/** A page of ListMultipartUploads. */
public record UploadListing(List<UploadInfo> uploads, boolean truncated, String nextKeyMarker,
        String nextUploadIdMarker) {
    public UploadListing {
        uploads = List.copyOf(uploads);
    }
}
