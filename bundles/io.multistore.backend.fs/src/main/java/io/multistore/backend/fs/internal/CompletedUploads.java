package io.multistore.backend.fs.internal;

import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ObjectMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The multipart uploads completed lately, so that completing one again with the same parts (a client retrying after
 * a lost response) answers 200 with the same ETag, as S3 does, instead of NoSuchUpload. Bounded in count and age;
 * held in memory, so a restart forgets them (a retry then gets NoSuchUpload, as for an upload S3 has forgotten).
 */
final class CompletedUploads {

    private record Completed(String key, List<String> parts, ObjectMeta meta, long atNanos) {
    }

    private final int capacity;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Completed> byUploadId;

    CompletedUploads(int capacity, long maxAgeNanos, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.maxAgeNanos = maxAgeNanos;
        this.nanoClock = nanoClock;
        this.byUploadId = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Completed> eldest) {
                return size() > CompletedUploads.this.capacity;
            }
        };
    }

    synchronized void remember(String key, String uploadId, List<CompletedPart> parts, ObjectMeta meta) {
        byUploadId.put(uploadId, new Completed(key, normalized(parts), meta, nanoClock.getAsLong()));
    }

    /** The object an earlier completion of this upload with these parts made, or {@code null}. */
    synchronized ObjectMeta find(String key, String uploadId, List<CompletedPart> parts) {
        Completed c = byUploadId.get(uploadId);
        if (c == null) {
            return null;
        }
        if (nanoClock.getAsLong() - c.atNanos() > maxAgeNanos) {
            byUploadId.remove(uploadId);
            return null;
        }
        return c.key().equals(key) && c.parts().equals(normalized(parts)) ? c.meta() : null;
    }

    private static List<String> normalized(List<CompletedPart> parts) {
        List<String> result = new ArrayList<>(parts == null ? 0 : parts.size());
        if (parts != null) {
            for (CompletedPart p : parts) {
                String etag = p.etag() == null ? "" : p.etag().trim();
                if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
                    etag = etag.substring(1, etag.length() - 1);
                }
                result.add(p.partNumber() + ":" + etag);
            }
        }
        return result;
    }
}
