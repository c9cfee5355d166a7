package io.multistore.backend.fs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectMeta;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CompletedUploadsTest {

    final AtomicLong now = new AtomicLong();
    final CompletedUploads uploads = new CompletedUploads(2, 1_000, now::get);
    final ObjectMeta meta = new ObjectMeta("k", 3, "\"abc-1\"", Instant.EPOCH, ObjectAttributes.NONE);
    final List<CompletedPart> parts = List.of(new CompletedPart(1, "\"e1\""), new CompletedPart(2, "e2"));

    @Test
    void theSameKeyAndPartsFindTheObject() {
        uploads.remember("k", "u1", parts, meta);
        // ETags quoted or not are the same part
        assertSame(meta, uploads.find("k", "u1", List.of(new CompletedPart(1, "e1"), new CompletedPart(2, "\"e2\""))));
        assertNull(uploads.find("other", "u1", parts));
        assertNull(uploads.find("k", "u1", parts.subList(0, 1)));
        assertNull(uploads.find("k", "u1", List.of(new CompletedPart(1, "e1"), new CompletedPart(2, "e3"))));
        assertNull(uploads.find("k", "u2", parts));
    }

    @Test
    void forgottenWhenOldOrCrowdedOut() {
        uploads.remember("k", "u1", parts, meta);
        now.set(1_001);
        assertNull(uploads.find("k", "u1", parts));
        uploads.remember("k", "u1", parts, meta);
        uploads.remember("k", "u2", parts, meta);
        uploads.remember("k", "u3", parts, meta);
        assertNull(uploads.find("k", "u1", parts));
        assertEquals(meta, uploads.find("k", "u3", parts));
    }
}
