package io.multistore.health.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.Backend;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.http.Gateway;
import java.util.ArrayList;
import java.util.Collection;
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

/**
 * Readiness: the node can serve. Not ready while shutting down (so a load balancer drains it before Jetty stops),
 * while the gateway or the config provider it is wired to (its {@code configProvider.target}) is absent, while that
 * provider cannot list its buckets, or while a {@code backend_type} some bucket uses has no backend bound.
 */
@Component(service = HealthCheck.class, property = {
        HealthCheck.NAME + "=Multistore readiness",
        HealthCheck.TAGS + "=readiness",
        HealthCheck.TAGS + "=multistore",
        // never cached: a probe answered just before SIGTERM must not keep the node "ready" while it drains
        HealthCheck.RESULT_CACHE_TTL_IN_MS + ":Long=0"})
public final class ReadinessCheck implements HealthCheck {

    private final BundleContext context;

    @Activate
    public ReadinessCheck(BundleContext context) {
        this.context = context;
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
        return new Result(log);
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
