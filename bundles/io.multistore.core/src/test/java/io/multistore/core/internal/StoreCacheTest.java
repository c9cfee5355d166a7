package io.multistore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreCacheTest {

    private final List<MemoryStore> opened = new ArrayList<>();
    private final Backend backend = bucket -> {
        MemoryStore s = new MemoryStore();
        opened.add(s);
        return s;
    };
    private final StoreCache cache = new StoreCache();

    private static BucketConfig bucket(String name, String prefix) {
        return new BucketConfig(name, "mem", prefix, false, List.of(), Map.of());
    }

    @Test
    void oneStorePerConfiguration() {
        try (StoreCache.Lease a = cache.acquire(backend, bucket("b", "p/"));
                StoreCache.Lease b = cache.acquire(backend, bucket("b", "p/"))) {
            assertSame(a.store(), b.store());
        }
        try (StoreCache.Lease c = cache.acquire(backend, bucket("b", "p/"))) {
            assertSame(opened.get(0), c.store());
        }
        assertEquals(1, opened.size());
        assertFalse(opened.get(0).closed.get());
    }

    @Test
    void changedConfigurationClosesOldStoreAfterItsRequests() {
        StoreCache.Lease running = cache.acquire(backend, bucket("b", "old/"));
        try (StoreCache.Lease fresh = cache.acquire(backend, bucket("b", "new/"))) {
            assertNotSame(running.store(), fresh.store());
            assertFalse(opened.get(0).closed.get(), "closed under a running request");
        }
        running.close();
        assertTrue(opened.get(0).closed.get());
        running.close(); // a second release changes nothing
        assertEquals(1, opened.get(0).closeCount.get());
        assertFalse(opened.get(1).closed.get());
        assertEquals(1, cache.size());
    }

    @Test
    void backendRemovalRetiresItsStores() {
        StoreCache.Lease running = cache.acquire(backend, bucket("a", ""));
        try (StoreCache.Lease idle = cache.acquire(backend, bucket("b", ""))) {
            // released at once
        }
        cache.retireBackend(backend);
        assertTrue(opened.get(1).closed.get());
        assertFalse(opened.get(0).closed.get());
        running.close();
        assertTrue(opened.get(0).closed.get());
        assertEquals(0, cache.size());
        try (StoreCache.Lease again = cache.acquire(backend, bucket("a", ""))) {
            assertSame(opened.get(2), again.store());
        }
    }

    @Test
    void anotherBackendInstanceGetsItsOwnStore() {
        Backend other = bucket -> {
            MemoryStore s = new MemoryStore();
            opened.add(s);
            return s;
        };
        cache.acquire(backend, bucket("a", "")).close();
        cache.acquire(other, bucket("a", "")).close();
        assertTrue(opened.get(0).closed.get());
        assertFalse(opened.get(1).closed.get());
    }

    @Test
    void failedOpenLeavesNothingBehind() {
        Backend broken = bucket -> {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "bucket_name missing");
        };
        assertThrows(S3Exception.class, () -> cache.acquire(broken, bucket("a", "")));
        assertEquals(0, cache.size());
    }

    @Test
    void closeRetiresEverything() {
        StoreCache.Lease running = cache.acquire(backend, bucket("a", ""));
        cache.close();
        assertFalse(opened.get(0).closed.get());
        running.close();
        assertTrue(opened.get(0).closed.get());
    }
}
