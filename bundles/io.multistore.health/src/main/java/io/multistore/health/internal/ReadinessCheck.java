package io.multistore.health.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.Backend;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.http.Gateway;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Readiness: the node can serve. Not ready while shutting down (so a load balancer drains it before Jetty stops),
 * while the gateway or the config provider it is wired to (its {@code configProvider.target}) is absent, while that
 * provider cannot list its buckets, or while a {@code backend_type} some bucket uses has no backend bound. With
 * {@code bucket_checks} on, also while some bucket's backend does not answer a one-key listing within the timeout
 * (each bucket named with its outcome).
 */
@Component(service = HealthCheck.class, configurationPid = ReadinessCheck.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = {
        HealthCheck.NAME + "=Multistore readiness",
        HealthCheck.TAGS + "=readiness",
        HealthCheck.TAGS + "=multistore",
        // never cached: a probe answered just before SIGTERM must not keep the node "ready" while it drains
        HealthCheck.RESULT_CACHE_TTL_IN_MS + ":Long=0"})
@Designate(ocd = ReadinessCheck.Config.class)
public final class ReadinessCheck implements HealthCheck {

    static final String PID = "io.multistore.health.readiness";

    @ObjectClassDefinition(id = PID, name = "Multistore readiness check",
            description = "What /health/ready checks beyond the gateway, its config provider and a backend for "
                    + "every backend_type in use.")
    public @interface Config {

        @AttributeDefinition(name = "Check each bucket's backend",
                description = "Also probe every configured bucket's backend with a listing of at most one key, and "
                        + "report the node not ready while any does not answer (naming the bucket). Off by "
                        + "default: a node is usually not at fault when one backend is down.")
        boolean bucket__checks() default false;

        @AttributeDefinition(name = "Bucket check timeout (ms)", min = "1",
                description = "How long one readiness check waits for the buckets' probes, in milliseconds; a "
                        + "bucket whose backend has not answered by then counts as unreachable.")
        long bucket__check__timeout__ms() default 2000;

        @AttributeDefinition(name = "Bucket check cache (ms)", min = "0",
                description = "How long a probe's answer is reused, in milliseconds, so frequent load-balancer "
                        + "polls do not reach the backends each time.")
        long bucket__check__cache__ms() default 5000;
    }

    private final BundleContext context;
    /** {@code null} with bucket checks off. */
    private final BucketProbes probes;

    @Activate
    public ReadinessCheck(BundleContext context, Config config) {
        this.context = context;
        this.probes = config.bucket__checks() ? new BucketProbes(config.bucket__check__timeout__ms(),
                config.bucket__check__cache__ms(), System::nanoTime) : null;
    }

    /** Without bucket checks (unit tests). */
    ReadinessCheck(BundleContext context) {
        this.context = context;
        this.probes = null;
    }

    @Deactivate
    void deactivate() {
        if (probes != null) {
            probes.close();
        }
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        if (Shutdown.inProgress(context)) {
            log.critical("shutting down: draining in-flight requests");
            return new Result(log);
        }
        ServiceReference<Gateway> gateway = context.getServiceReference(Gateway.class);
        if (gateway == null) {
            log.critical("the gateway is not active");
            return new Result(log);
        }
        Object target = gateway.getProperty("configProvider.target");
        String filter = target instanceof String s && !s.isBlank() ? s : null;
        ConfigProvider provider = service(ConfigProvider.class, filter);
        if (provider == null) {
            log.critical("no config provider matching {} is bound", filter == null ? "(any)" : filter);
            return new Result(log);
        }
        List<BucketConfig> buckets;
        try {
            buckets = provider.buckets();
        } catch (RuntimeException e) {
            log.critical("the configuration is not loaded: {}", e.getMessage());
            return new Result(log);
        }
        Set<String> bound = backendTypes();
        Map<String, Set<String>> missing = missing(buckets, bound);
        missing.forEach((type, names) -> log.critical("backend_type '{}' has no backend bound (buckets {})", type,
                names));
        if (missing.isEmpty()) {
            log.info("{} buckets; backends bound: {}", buckets.size(), bound);
        }
        if (probes != null) {
            probeBuckets(buckets, log);
        }
        return new Result(log);
    }

    /** Each bucket whose backend is bound: reachable, or critical with the reason. */
    private void probeBuckets(List<BucketConfig> buckets, FormattingResultLog log) {
        Map<String, BucketProbes.BoundBackend> backends = new TreeMap<>();
        Map<BucketConfig, BucketProbes.BoundBackend> probed = new LinkedHashMap<>();
        for (BucketConfig bucket : buckets) {
            BucketProbes.BoundBackend backend = backends.computeIfAbsent(bucket.backendType(), this::backend);
            if (backend != null) {
                probed.put(bucket, backend);
            }
        }
        probes.check(probed).forEach((name, outcome) -> {
            if (outcome.reachable()) {
                log.info("bucket '{}': backend reachable", name);
            } else {
                log.critical("bucket '{}': backend unreachable: {}", name, outcome.detail());
            }
        });
    }

    /** The best-ranked backend of a type with its registration as identity, or {@code null}. */
    private BucketProbes.BoundBackend backend(String type) {
        try {
            List<ServiceReference<Backend>> refs = new ArrayList<>(context.getServiceReferences(Backend.class,
                    "(" + Backend.TYPE + "=" + type.replaceAll("([\\\\()*])", "\\\\$1") + ")"));
            refs.sort(null);
            for (int i = refs.size() - 1; i >= 0; i--) {
                Backend backend = context.getService(refs.get(i));
                if (backend != null) {
                    context.ungetService(refs.get(i));
                    return new BucketProbes.BoundBackend(backend, refs.get(i));
                }
            }
        } catch (InvalidSyntaxException e) {
            // a type no filter can name has no backend
        }
        return null;
    }

    /** The backend types some bucket uses that no bound backend serves, with the buckets using each. */
    static Map<String, Set<String>> missing(Collection<BucketConfig> buckets, Set<String> bound) {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (BucketConfig b : buckets) {
            if (!bound.contains(b.backendType())) {
                missing.computeIfAbsent(b.backendType(), t -> new TreeSet<>()).add(b.name());
            }
        }
        return missing;
    }

    private Set<String> backendTypes() {
        Set<String> types = new TreeSet<>();
        try {
            Collection<ServiceReference<Backend>> refs = context.getServiceReferences(Backend.class, null);
            for (ServiceReference<Backend> ref : refs) {
                Object type = ref.getProperty(Backend.TYPE);
                if (type instanceof String s) {
                    types.add(s);
                } else if (type instanceof String[] a) {
                    types.addAll(List.of(a));
                } else if (type instanceof Collection<?> c) {
                    c.forEach(t -> types.add(String.valueOf(t)));
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    private <T> T service(Class<T> type, String filter) {
        try {
            List<ServiceReference<T>> refs = new ArrayList<>(context.getServiceReferences(type, filter));
            refs.sort(null);
            for (int i = refs.size() - 1; i >= 0; i--) {
                T service = context.getService(refs.get(i));
                if (service != null) {
                    context.ungetService(refs.get(i));
                    return service;
                }
            }
            return null;
        } catch (InvalidSyntaxException e) {
            return null;
        }
    }
}
