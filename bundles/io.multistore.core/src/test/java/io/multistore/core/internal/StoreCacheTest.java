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

    @Test
    void storeOpenedWhileItsBackendRetiresIsNeverCached() throws Exception {
        java.util.concurrent.CountDownLatch opening = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);
        MemoryStore slowStore = new MemoryStore();
        Backend slow = bucket -> {
            opening.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return slowStore;
        };
        java.util.concurrent.CompletableFuture<StoreCache.Lease> lease = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> cache.acquire(slow, bucket("a", "")));
        opening.await();
        cache.retireBackend(slow);
        proceed.countDown();
        StoreCache.Lease l = lease.get();
        assertSame(slowStore, l.store(), "the running request is still served");
        assertEquals(0, cache.size(), "a store of a retired backend stayed cached");
        l.close();
        assertTrue(slowStore.closed.get());
    }

    @Test
    void hotSwapRacingRequestsLeavesOnlyLiveStoresOpen() throws Exception {
        List<MemoryStore> all = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.function.Supplier<Backend> newBackend = () -> bucket -> {
            MemoryStore s = new MemoryStore();
            all.add(s);
            return s;
        };
        java.util.concurrent.atomic.AtomicReference<Backend> live = new java.util.concurrent.atomic.AtomicReference<>(
                newBackend.get());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            int n = t;
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    try (StoreCache.Lease l = cache.acquire(live.get(), bucket("b" + (n % 3), ""))) {
                        assertFalse(((MemoryStore) l.store()).closed.get(), "served from a closed store");
                    }
                }
            }));
        }
        for (int swap = 0; swap < 200; swap++) {
            Backend old = live.getAndSet(newBackend.get());
            cache.retireBackend(old);
            Thread.sleep(0, 200_000);
        }
        stop.set(true);
        for (java.util.concurrent.Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        cache.retireBackend(live.get());
        assertEquals(0, cache.size());
        synchronized (all) {
            for (MemoryStore s : all) {
                assertEquals(1, s.closeCount.get(), "every store is closed exactly once");
            }
        }
    }

    @Test
    void sweepClosesStoresOfRemovedAndChangedBuckets() {
        cache.acquire(backend, bucket("gone", "")).close();
        cache.acquire(backend, bucket("changed", "old/")).close();
        cache.acquire(backend, bucket("same", "")).close();
        cache.sweep(name -> switch (name) {
            case "changed" -> java.util.Optional.of(bucket("changed", "new/"));
            case "same" -> java.util.Optional.of(bucket("same", ""));
            default -> java.util.Optional.empty();
        });
        assertTrue(opened.get(0).closed.get());
        assertTrue(opened.get(1).closed.get());
        assertFalse(opened.get(2).closed.get());
        assertEquals(1, cache.size());
    }

    @Test
    void idleStoresCloseAndTheCacheIsBounded() {
        long[] now = {0};
        StoreCache bounded = new StoreCache(2, java.time.Duration.ofMinutes(1), () -> now[0]);
        bounded.acquire(backend, bucket("a", "")).close();
        bounded.acquire(backend, bucket("b", "")).close();
        bounded.acquire(backend, bucket("a", "")).close(); // a is now the most recently used
        bounded.acquire(backend, bucket("c", "")).close();
        assertTrue(opened.get(1).closed.get(), "the least recently used store is evicted");
        assertFalse(opened.get(0).closed.get());
        assertEquals(2, bounded.size());
        now[0] += java.time.Duration.ofMinutes(2).toNanos();
        bounded.sweep(name -> java.util.Optional.of(bucket(name, "")));
        assertEquals(0, bounded.size());
        assertTrue(opened.get(0).closed.get());
        assertTrue(opened.get(2).closed.get());
    }

    @Test
    void aMisconfiguredBucketIsOpenedOnceNotOnEveryRequest() {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        Backend broken = bucket -> {
            attempts.incrementAndGet();
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, "bucket_name missing");
        };
        S3Exception first = assertThrows(S3Exception.class, () -> cache.acquire(broken, bucket("a", "")));
        S3Exception second = assertThrows(S3Exception.class, () -> cache.acquire(broken, bucket("a", "")));
        assertEquals(S3ErrorCode.ServiceUnavailable, second.code());
        assertTrue(first instanceof StoreCache.ReportedFailure && second instanceof StoreCache.ReportedFailure);
        assertEquals(1, attempts.get());
        // a changed configuration is tried again at once
        assertThrows(S3Exception.class, () -> cache.acquire(broken, bucket("a", "p/")));
        assertEquals(2, attempts.get());
    }
}
