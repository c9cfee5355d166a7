package io.multistore.metrics.internal;

import io.multistore.config.cache.ConfigCacheStatistics;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The config cache's counters, read at each scrape (summed, should several caches be bound). Without a cache
 * registered — the cache registers only when configured — it collects nothing, so the series are absent rather than
 * zero. Offered to {@link MetricsServlet} as a collector service; the Prometheus classes are private to this bundle,
 * so no other bundle's collector is ever picked up. The cache's package is imported optionally: without the cache
 * bundle this component cannot resolve its reference type and is not started.
 */
@Component(service = MultiCollector.class)
public final class ConfigCacheMetrics implements MultiCollector {

    private final List<ConfigCacheStatistics> caches = new CopyOnWriteArrayList<>();
    private final List<Collector> collectors;

    public ConfigCacheMetrics() {
        collectors = List.of(
                counter("multistore_config_cache_hits", "Config lookups answered from a fresh cache entry",
                        ConfigCacheStatistics::hits),
                counter("multistore_config_cache_misses", "Config lookups the cache had to ask its upstream "
                        + "provider for", ConfigCacheStatistics::misses),
                counter("multistore_config_cache_upstream_calls", "Calls the config cache made to its upstream "
                        + "provider", ConfigCacheStatistics::upstreamCalls),
                counter("multistore_config_cache_upstream_errors", "Calls to the upstream config provider that "
                        + "failed", ConfigCacheStatistics::errors),
                counter("multistore_config_cache_stale_served", "Config lookups answered with an expired entry "
                        + "because the upstream provider failed", ConfigCacheStatistics::staleServed),
                GaugeWithCallback.builder().name("multistore_config_cache_entries").help("Entries the config cache "
                        + "holds").callback(cb -> cb.call(sum(ConfigCacheStatistics::size))).build());
    }

    private Collector counter(String name, String help, ToDoubleFunction<ConfigCacheStatistics> value) {
        return CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(sum(value))).build();
    }

    private double sum(ToDoubleFunction<ConfigCacheStatistics> value) {
        double total = 0;
        for (ConfigCacheStatistics cache : caches) {
            total += value.applyAsDouble(cache);
        }
        return total;
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        if (caches.isEmpty()) {
            return snapshots.build();
        }
        for (Collector collector : collectors) {
            snapshots.metricSnapshot(collector.collect());
        }
        return snapshots.build();
    }

    @Reference(name = "cache", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeCache")
    void addCache(ConfigCacheStatistics cache) {
        caches.add(cache);
    }

    void removeCache(ConfigCacheStatistics cache) {
        caches.remove(cache);
    }
}
