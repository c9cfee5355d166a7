package io.multistore.config.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigChangeListener;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.config.ConfigStatus;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingConfigProviderTest {

    /** An in-memory store that counts calls, can be slowed down and can be taken down. */
    static final class Store implements ConfigProvider {
        final Map<String, BucketConfig> buckets = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        final List<ConfigChangeListener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean down;
        volatile long delayMs;

        void put(String name, boolean anonymous) {
            buckets.put(name, new BucketConfig(name, "fs", "", anonymous, List.of(), Map.of()));
        }

        private void call() {
            calls.incrementAndGet();
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (down) {
                throw new S3Exception(S3ErrorCode.ServiceUnavailable, "store down");
            }
        }

        @Override
        public Optional<BucketConfig> bucket(String name) {
            call();
            return Optional.ofNullable(buckets.get(name));
        }

        @Override
        public List<BucketConfig> buckets() {
            call();
            return List.copyOf(buckets.values());
        }

        @Override
        public Optional<RoleConfig> role(String roleId) {
            call();
            return Optional.empty();
        }

        @Override
        public Optional<StoredCredential> credential(String accessKeyId) {
            call();
            return Optional.empty();
        }

        @Override
        public void addChangeListener(ConfigChangeListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeChangeListener(ConfigChangeListener listener) {
            listeners.remove(listener);
        }
    }

    static CachingConfigProvider.Config config(long ttl, long negativeTtl, long staleIfError, long retryMs) {
        return new CachingConfigProvider.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CachingConfigProvider.Config.class;
            }

            @Override
            public String upstream_target() {
                return CachingConfigProvider.DEFAULT_UPSTREAM;
            }

            @Override
            public long ttl__seconds() {
                return ttl;
            }

            @Override
            public long negative__ttl__seconds() {
                return negativeTtl;
            }

            @Override
            public long stale__if__error__seconds() {
                return staleIfError;
            }

            @Override
            public long retry__interval__ms() {
                return retryMs;
            }
        };
    }

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Store store = new Store();

    private CachingConfigProvider cache(long ttl, long negativeTtl, long staleIfError, long retryMs) {
        CachingConfigProvider cache = new CachingConfigProvider(config(ttl, negativeTtl, staleIfError, retryMs),
                now::get);
        cache.setUpstream(store, "test");
        return cache;
    }

    private void advanceSeconds(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
    }

    @Test
    void freshRecordsComeFromTheCacheUntilTheTtl() {
        store.put("a", false);
        CachingConfigProvider cache = cache(60, 10, 300, 1000);
        for (int i = 0; i < 5; i++) {
            assertTrue(cache.bucket("a").isPresent());
        }
        assertEquals(1, store.calls.get());
        assertEquals(4, cache.hits());
        store.put("a", true);
        advanceSeconds(59);
        assertEquals(false, cache.bucket("a").orElseThrow().anonymousAccess());
        advanceSeconds(2);
        assertEquals(true, cache.bucket("a").orElseThrow().anonymousAccess(), "read again after the TTL");
        assertEquals(2, store.calls.get());
    }

    @Test
    void absentNamesAreRememberedForTheNegativeTtl() {
        CachingConfigProvider cache = cache(60, 10, 300, 1000);
        for (int i = 0; i < 100; i++) {
            assertTrue(cache.bucket("nope").isEmpty());
        }
        assertEquals(1, store.calls.get(), "unknown names do not hammer the store");
        store.put("nope", false);
        advanceSeconds(11);
        assertTrue(cache.bucket("nope").isPresent());
    }

    @Test
    void concurrentMissesForOneKeyMakeOneUpstreamCall() throws Exception {
        store.put("hot", false);
        store.delayMs = 200;
        CachingConfigProvider cache = cache(60, 10, 300, 1000);
        int threads = 100;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Optional<BucketConfig>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.bucket("hot");
                }));
            }
            for (Future<Optional<BucketConfig>> f : results) {
                assertEquals("hot", f.get(10, TimeUnit.SECONDS).orElseThrow().name());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, store.calls.get());
        assertEquals(1, cache.upstreamCalls());
        assertEquals(threads, cache.misses());
    }

    @Test
    void aFailingStoreServesCachedRecordsForABoundedTimeAndAnswers503ForTheRest() {
        store.put("known", false);
        CachingConfigProvider cache = cache(60, 10, 300, 1000);
        cache.bucket("known");
        store.down = true;
        advanceSeconds(61);
        assertTrue(cache.bucket("known").isPresent(), "stale-if-error");
        S3Exception e = assertThrows(S3Exception.class, () -> cache.bucket("unknown"));
        assertEquals(S3ErrorCode.ServiceUnavailable, e.code());
        assertThrows(S3Exception.class, () -> cache.buckets());
        int calls = store.calls.get();
        for (int i = 0; i < 50; i++) {
            cache.bucket("known");
            assertThrows(S3Exception.class, () -> cache.bucket("unknown"));
        }
        assertEquals(calls, store.calls.get(), "a failed key is not retried before the retry interval");
        assertTrue(cache.errors() >= 2 && cache.staleServed() >= 51);
        ConfigStatus status = cache.status().orElseThrow();
        assertNotNull(status.loaded(), "when the store last answered");
        assertNotNull(status.failed());
        assertTrue(status.failure().startsWith("looking up ") && status.failure().endsWith(": store down")
                && status.summary().contains("records cached"),
                status.toString());

        advanceSeconds(300);
        assertThrows(S3Exception.class, () -> cache.bucket("known"), "stale beyond the bound is not served");

        store.down = false;
        advanceSeconds(2);
        assertTrue(cache.bucket("known").isPresent());
        assertTrue(cache.bucket("unknown").isEmpty());
    }

    @Test
    void aChangeAnnouncedByTheStoreIsSeenAtOnce() {
        store.put("a", false);
        CachingConfigProvider cache = cache(60, 10, 300, 1000);
        assertEquals(false, cache.bucket("a").orElseThrow().anonymousAccess());
        cache.buckets();
        store.put("a", true);
        store.put("b", true);
        store.listeners.forEach(l -> l.changed(ConfigChangeListener.Kind.BUCKET, "a"));
        assertEquals(true, cache.bucket("a").orElseThrow().anonymousAccess());
        assertEquals(2, cache.buckets().size(), "the listing is reloaded with any bucket change");
    }

    @Test
    void anInvalidatedEntryStillServesIfTheStoreFailsRightAfter() {
        store.put("a", false);
        CachingConfigProvider cache = cache(60, 10, 300, 1000);
        cache.bucket("a");
        store.down = true;
        store.listeners.forEach(l -> l.changed(ConfigChangeListener.Kind.BUCKET, null));
        assertTrue(cache.bucket("a").isPresent());
    }

    @Test
    void switchingTheUpstreamReadsTheNewStoreAndKeepsTheOldAnswersAsAFallback() throws Exception {
        store.put("a", false);
        CachingConfigProvider cache = cache(60, 10, 300, 1000);
        cache.bucket("a");
        Store other = new Store();
        other.put("a", true);
        other.put("only-in-other", true);
        // a lookup in flight on the old store while the switch happens still answers
        store.delayMs = 300;
        advanceSeconds(61);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<BucketConfig>> inFlight = pool.submit(() -> {
                started.countDown();
                return cache.bucket("a");
            });
            started.await();
            Thread.sleep(50);
            cache.setUpstream(other, "other");
            cache.unbindUpstream(store, Map.of());
            assertTrue(inFlight.get(5, TimeUnit.SECONDS).isPresent());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(true, cache.bucket("a").orElseThrow().anonymousAccess());
        assertTrue(cache.bucket("only-in-other").isPresent());
        assertTrue(store.listeners.isEmpty() && other.listeners.size() == 1);
    }

    @Test
    void withoutAnUpstreamCachedRecordsServeAndOthersAre503() {
        store.put("a", false);
        CachingConfigProvider cache = cache(60, 10, 300, 1000);
        cache.bucket("a");
        cache.unbindUpstream(store, Map.of());
        advanceSeconds(61);
        assertTrue(cache.bucket("a").isPresent());
        assertEquals(S3ErrorCode.ServiceUnavailable,
                assertThrows(S3Exception.class, () -> cache.role("r")).code());
    }
}
