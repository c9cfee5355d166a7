package io.multistore.config.cache.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigChangeListener;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.config.ConfigStatus;
import io.multistore.api.config.ConfigSource;
import io.multistore.config.cache.ConfigCacheStatistics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache in front of a network config provider, itself registered as the provider the gateway binds
 * ({@code multistore.config.source=cache}); it reaches the real store through the provider its {@code upstream}
 * reference selects.
 * <p>
 * Switching the store is a change of {@code upstream.target}: the reference is dynamic and greedy, and the component
 * has a {@link Modified} method so that Config Admin updates never unregister this service. The gateway therefore
 * keeps the same provider object throughout a switch, requests in flight finish with the upstream they started with,
 * and entries from the old store are kept only as a stale fallback until the new one has answered. (This departs
 * from the project's immutable-component habit on purpose: re-creating the component would unbind it from the
 * gateway for a moment, and requests arriving then would fail.) Without an upstream the cache serves what it has and
 * answers 503 for the rest, which also covers a provider bundle being updated.
 */
@Component(service = {ConfigProvider.class, ConfigCacheStatistics.class}, configurationPid = CachingConfigProvider.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@ConfigSource("cache")
@Designate(ocd = CachingConfigProvider.Config.class)
public final class CachingConfigProvider implements ConfigProvider, ConfigCacheStatistics {

    static final String PID = "io.multistore.config.cache";
    /** Every provider but a cache (this one) or a delegate of the gateway's provider: either would be a loop. */
    static final String DEFAULT_UPSTREAM = "(&(" + ConfigProvider.SOURCE + "=*)(!(" + ConfigProvider.SOURCE
            + "=cache))(!(multistore.config.active=true)))";

    private static final Logger LOG = LoggerFactory.getLogger(CachingConfigProvider.class);

    @ObjectClassDefinition(id = PID, name = "Multistore config cache",
            description = "Caches the buckets, roles and credentials of a network config provider (HTTP, DynamoDB, "
                    + "PostgreSQL). Point the gateway at it with configProvider.target = "
                    + "(multistore.config.source=cache).")
    public @interface Config {

        @AttributeDefinition(name = "Upstream provider", description = "LDAP filter selecting the provider this "
                + "cache reads through, e.g. (multistore.config.source=postgres). Changing it switches the store "
                + "at runtime.")
        String upstream_target() default DEFAULT_UPSTREAM;

        @AttributeDefinition(name = "TTL (s)", min = "0", description = "How long a record is served before it is "
                + "read again from the store, in seconds (the --config-cache-ttl flag). Changes announced by the "
                + "store (PostgreSQL NOTIFY) are seen at once.")
        long ttl__seconds() default 60;

        @AttributeDefinition(name = "Negative TTL (s)", min = "0", description = "How long an unknown bucket, role "
                + "or access key is remembered as absent, in seconds (at most the TTL).")
        long negative__ttl__seconds() default 10;

        @AttributeDefinition(name = "Stale if error (s)", min = "0", description = "When the store fails, how long "
                + "after its TTL a record keeps being served, in seconds. Lookups with nothing cached answer 503.")
        long stale__if__error__seconds() default 300;

        @AttributeDefinition(name = "Retry interval (ms)", min = "0", description = "After a failed lookup, how "
                + "long the same key waits before the store is asked again, in milliseconds.")
        long retry__interval__ms() default 1000;
    }

    /** Record kinds as cache keys; the bucket listing is one key of its own. */
    private record Key(ConfigChangeListener.Kind kind, String id) {
        @Override
        public String toString() {
            return id == null ? "the bucket list" : kind.name().toLowerCase(java.util.Locale.ROOT) + " \"" + id + "\"";
        }
    }

    private static final Key BUCKET_LIST = new Key(ConfigChangeListener.Kind.BUCKET, null);

    private final RecordCache cache;
    private final ConfigChangeListener invalidator = this::changed;
    private final List<ConfigProvider> upstreams = new CopyOnWriteArrayList<>();
    private volatile ConfigProvider upstream;
    private volatile String upstreamSource;

    @Activate
    public CachingConfigProvider(Config config) {
        this(config, System::nanoTime);
    }

    CachingConfigProvider(Config config, LongSupplier nanoClock) {
        this.cache = new RecordCache(settings(config), nanoClock);
        LOG.debug("Config cache active: ttl {} s", config.ttl__seconds());
    }

    @Modified
    void modified(Config config) {
        cache.settings(settings(config));
        cache.expireAll();
        LOG.info("Config cache reconfigured: ttl {} s, negative ttl {} s, stale-if-error {} s", config.ttl__seconds(),
                Math.min(config.negative__ttl__seconds(), config.ttl__seconds()), config.stale__if__error__seconds());
    }

    @Deactivate
    void deactivate() {
        ConfigProvider current = upstream;
        if (current != null) {
            current.removeChangeListener(invalidator);
        }
    }

    private static RecordCache.Settings settings(Config c) {
        if (c.ttl__seconds() < 0 || c.negative__ttl__seconds() < 0 || c.stale__if__error__seconds() < 0
                || c.retry__interval__ms() < 0) {
            throw new IllegalArgumentException("cache durations must not be negative");
        }
        return new RecordCache.Settings(TimeUnit.SECONDS.toNanos(c.ttl__seconds()),
                TimeUnit.SECONDS.toNanos(Math.min(c.negative__ttl__seconds(), c.ttl__seconds())),
                TimeUnit.SECONDS.toNanos(c.stale__if__error__seconds()),
                TimeUnit.MILLISECONDS.toNanos(c.retry__interval__ms()));
    }

    @Reference(name = "upstream", service = ConfigProvider.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = DEFAULT_UPSTREAM, unbind = "unbindUpstream")
    void bindUpstream(ConfigProvider provider, Map<String, Object> properties) {
        setUpstream(provider, String.valueOf(properties.get(ConfigProvider.SOURCE)));
    }

    void unbindUpstream(ConfigProvider provider, Map<String, Object> properties) {
        provider.removeChangeListener(invalidator);
        synchronized (this) {
            if (upstream == provider) {
                upstream = null;
                LOG.warn("Config cache has no upstream provider (was '{}'): serving cached records, 503 for others",
                        properties.get(ConfigProvider.SOURCE));
            }
        }
    }

    /** Binds an upstream; what came from another one is kept only as a fallback until the new one answers. */
    void setUpstream(ConfigProvider provider, String source) {
        synchronized (this) {
            upstream = provider;
            upstreamSource = source;
            cache.expireAll();
        }
        provider.addChangeListener(invalidator);
        LOG.info("Config cache reads through the '{}' provider", source);
    }

    private void changed(ConfigChangeListener.Kind kind, String id) {
        LOG.debug("Change announced: {} {}", kind, id == null ? "(all)" : id);
        cache.expire(k -> k instanceof Key key && key.kind() == kind && (id == null || key.id() == null
                || id.equals(key.id())));
    }

    private <T> T lookup(Key key, java.util.function.Function<ConfigProvider, T> call) {
        return cache.get(key, (Supplier<T>) () -> {
            ConfigProvider current = upstream;
            if (current == null) {
                throw new S3Exception(S3ErrorCode.ServiceUnavailable, "no upstream config provider is bound");
            }
            return call.apply(current);
        });
    }

    /** The cache's own view: when its upstream last answered a lookup, and the last lookup that failed. */
    @Override
    public Optional<ConfigStatus> status() {
        String source = upstream == null ? "no upstream bound" : "through the '" + upstreamSource + "' provider";
        return Optional.of(new ConfigStatus(cache.answeredAt, "cache " + source + ", " + cache.size()
                + " records cached", cache.failedAt, cache.failure));
    }

    @Override
    public Optional<BucketConfig> bucket(String name) {
        return lookup(new Key(ConfigChangeListener.Kind.BUCKET, name), p -> p.bucket(name));
    }

    @Override
    public List<BucketConfig> buckets() {
        return lookup(BUCKET_LIST, ConfigProvider::buckets);
    }

    @Override
    public Optional<RoleConfig> role(String roleId) {
        return lookup(new Key(ConfigChangeListener.Kind.ROLE, roleId), p -> p.role(roleId));
    }

    @Override
    public Optional<StoredCredential> credential(String accessKeyId) {
        return lookup(new Key(ConfigChangeListener.Kind.CREDENTIAL, accessKeyId), p -> p.credential(accessKeyId));
    }

    @Override
    public long hits() {
        return cache.hits.sum();
    }

    @Override
    public long misses() {
        return cache.misses.sum();
    }

    @Override
    public long upstreamCalls() {
        return cache.upstreamCalls.sum();
    }

    @Override
    public long errors() {
        return cache.errors.sum();
    }

    @Override
    public long staleServed() {
        return cache.staleServed.sum();
    }

    @Override
    public int size() {
        return cache.size();
    }
}
