package io.multistore.config.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multistore.api.BucketConfig;
import io.multistore.api.config.ConfigProvider;
import io.multistore.config.conformance.ConfigProviderConformance;
import io.multistore.testsupport.ControlPlaneServer;
import io.multistore.config.http.internal.HttpConfigProvider;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The figures the config cache is judged by, measured over a real HTTP control plane: lookup latency with a warm
 * cache, and how many requests reach the control plane when 100 callers miss the same key at once. Prints the
 * figures; asserts only the request count (the single-flight guarantee), never a timing.
 * <p>
 * Run: {@code mvn -pl bundles/io.multistore.config.cache test -Dtest=CacheOverHttpHarnessTest}
 */
class CacheOverHttpHarnessTest {

    @Test
    void warmLookupLatencyAndUpstreamCallsUnderConcurrentMisses() throws Exception {
        try (ControlPlaneServer cp = ControlPlaneServer.start(null)) {
            cp.put("buckets", "alpha", ConfigProviderConformance.ALPHA);
            HttpConfigProvider http = new HttpConfigProvider(httpConfig(cp.endpoint().toString()));
            CachingConfigProvider cache = new CachingConfigProvider(
                    CachingConfigProviderTest.config(60, 10, 300, 1000), System::nanoTime);
            cache.bindUpstream(http, Map.of(ConfigProvider.SOURCE, "http"));

            // 100 concurrent misses for one key
            int threads = 100;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            int before = cp.recordRequests();
            List<Future<Optional<BucketConfig>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.bucket("alpha");
                }));
            }
            for (Future<Optional<BucketConfig>> f : results) {
                assertEquals("alpha", f.get(10, TimeUnit.SECONDS).orElseThrow().name());
            }
            pool.shutdown();
            int upstream = cp.recordRequests() - before;
            assertEquals(1, upstream, "requests reaching the control plane for 100 concurrent misses");

            // a cold lookup through HTTP, for comparison
            long coldNanos = 0;
            for (int i = 0; i < 200; i++) {
                long t = System.nanoTime();
                http.bucket("alpha");
                coldNanos += System.nanoTime() - t;
            }

            // warm lookups: warm up the JIT, then measure
            for (int i = 0; i < 2_000_000; i++) {
                cache.bucket("alpha");
            }
            int n = 5_000_000;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                cache.bucket("alpha");
            }
            double warmNs = (System.nanoTime() - t) / (double) n;
            System.out.printf("config cache: 100 concurrent misses for one key -> %d control-plane request(s); "
                    + "warm lookup %.0f ns (mean of %d); uncached HTTP lookup %.0f us (mean of 200)%n", upstream,
                    warmNs, n, coldNanos / 200 / 1000.0);
        }
    }

    private static HttpConfigProvider.Config httpConfig(String baseUrl) {
        return new HttpConfigProvider.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HttpConfigProvider.Config.class;
            }

            @Override
            public String base__url() {
                return baseUrl;
            }

            @Override
            public String authorization() {
                return "";
            }

            @Override
            public long connect__timeout__ms() {
                return 2000;
            }

            @Override
            public long request__timeout__ms() {
                return 5000;
            }

            @Override
            public String ca__file() {
                return "";
            }
        };
    }
}
