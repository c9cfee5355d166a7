package io.multistore.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.config.ConfigProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The config cache in Felix: configured through Config Admin it registers as {@code multistore.config.source=cache}
 * and reads through the provider its {@code upstream.target} selects; changing that target switches the store
 * without unregistering the cache (the gateway keeps the very service it bound).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigCacheWiringTest extends TestSupport {

    @Configuration
    public Option[] config() {
        return new Option[] {distribution()};
    }

    @Test
    public void switchingTheUpstreamKeepsTheCacheRegistered() throws Exception {
        ServiceRegistration<ConfigProvider> a = context.registerService(ConfigProvider.class,
                new OneBucketProvider(fsBucket("from-a")), properties(ConfigProvider.SOURCE, "itest-a"));
        ServiceRegistration<ConfigProvider> b = context.registerService(ConfigProvider.class,
                new OneBucketProvider(fsBucket("from-b")), properties(ConfigProvider.SOURCE, "itest-b"));
        org.osgi.service.cm.Configuration cache = configure("io.multistore.config.cache",
                "upstream.target", "(" + ConfigProvider.SOURCE + "=itest-a)", "ttl_seconds", 60L);
        try {
            waitFor("the cache reading provider a", () -> cache().flatMap(p -> p.bucket("from-a")).isPresent());
            ServiceReference<ConfigProvider> before = cacheReference();
            Object serviceId = before.getProperty("service.id");
            assertNotNull(context.getServiceReference("io.multistore.config.cache.ConfigCacheStatistics"));

            cache.update(properties("upstream.target", "(" + ConfigProvider.SOURCE + "=itest-b)", "ttl_seconds", 60L));
            waitFor("the cache reading provider b", () -> cache().flatMap(p -> p.bucket("from-b")).isPresent());
            assertEquals("the cache was not re-registered", serviceId, cacheReference().getProperty("service.id"));
            assertTrue(cache().orElseThrow().bucket("from-a").isEmpty());
        } finally {
            cache.delete();
            a.unregister();
            b.unregister();
        }
        waitFor("the cache to leave", () -> cacheReference() == null);
    }

    private static BucketConfig fsBucket(String name) {
        return new BucketConfig(name, "fs", "", true, List.of(), Map.of());
    }

    private ServiceReference<ConfigProvider> cacheReference() {
        try {
            return context.getServiceReferences(ConfigProvider.class, "(" + ConfigProvider.SOURCE + "=cache)")
                    .stream().findFirst().orElse(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<ConfigProvider> cache() {
        ServiceReference<ConfigProvider> reference = cacheReference();
        return reference == null ? Optional.empty() : Optional.ofNullable(context.getService(reference));
    }
}
