package io.multistore.core.internal;

import io.multistore.api.auth.TemporaryCredentialResolver;
import io.multistore.api.backend.Backend;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.http.RouteHandler;
import io.multistore.api.http.RouteMatcher;
import io.multistore.api.observe.RequestListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plugins the gateway uses, as immutable snapshots replaced on every change (copy on write). Readers take the
 * current snapshot into a local and never see a half-made change; writers are serialised.
 */
final class Plugins {

    /** A plugin with the service properties it was registered with. */
    record Registered<T>(T service, String name, int ranking, long serviceId) {
    }

    /** A route handler with the matcher it declared when it was bound. */
    record Route(RouteHandler handler, RouteMatcher matcher, String name) {
    }

    /** Highest ranking first, then the oldest service, as OSGi orders services. */
    private static final Comparator<Registered<?>> ORDER = Comparator.<Registered<?>>comparingInt(r -> -r.ranking())
            .thenComparingLong(Registered::serviceId);

    private volatile ConfigProvider configProvider;
    private volatile List<Registered<Backend>> backendList = List.of();
    private volatile Map<String, Backend> backends = Map.of();
    private volatile List<Route> routes = List.of();
    private volatile List<Registered<RouteHandler>> routeList = List.of();
    private volatile List<TemporaryCredentialResolver> resolvers = List.of();
    private volatile List<RequestListener> listeners = List.of();
    /** When each backend type, and the provider, last went away ({@link System#nanoTime()}). */
    private final Map<String, Long> departed = new HashMap<>();
    private static final String PROVIDER = "\u0000provider";

    /** Conditions the gateway reported (a missing provider, a missing backend type): each is logged once. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** The active config provider, or {@code null}. */
    ConfigProvider configProvider() {
        return configProvider;
    }

    /**
     * The active config provider; when the last one left less than {@code graceNanos} ago (a bundle update, a
     * switch of provider), waits for its replacement until then.
     *
     * @return the provider, or {@code null} when none came back in time
     */
    ConfigProvider configProvider(long graceNanos) {
        ConfigProvider p = configProvider;
        return p != null ? p : awaitReplacement(PROVIDER, graceNanos, () -> configProvider);
    }

    /**
     * The backend of a type; when the last one of that type left less than {@code graceNanos} ago (a bundle update),
     * waits for its replacement until then, so an update under load fails no request.
     *
     * @return the backend, or {@code null} when none is installed or none came back in time
     */
    Backend backend(String type, long graceNanos) {
        Backend b = backends.get(type);
        return b != null ? b : awaitReplacement(type, graceNanos, () -> backends.get(type));
    }

    private synchronized <T> T awaitReplacement(String what, long graceNanos, java.util.function.Supplier<T> current) {
        Long left = departed.get(what);
        if (left == null) {
            return current.get();
        }
        long deadline = left + graceNanos;
        T found;
        while ((found = current.get()) == null) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return null;
            }
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return found;
    }

    /** Backend per {@code backend_type}: the highest-ranked service of each type. */
    Map<String, Backend> backends() {
        return backends;
    }

    /** The route handlers in the order they are offered requests. */
    List<Route> routes() {
        return routes;
    }

    List<TemporaryCredentialResolver> resolvers() {
        return resolvers;
    }

    List<RequestListener> listeners() {
        return listeners;
    }

    synchronized void addListener(RequestListener listener) {
        List<RequestListener> list = new ArrayList<>(listeners);
        list.add(Objects.requireNonNull(listener));
        listeners = List.copyOf(list);
    }

    synchronized void removeListener(RequestListener listener) {
        List<RequestListener> list = new ArrayList<>(listeners);
        list.removeIf(l -> l == listener);
        listeners = List.copyOf(list);
    }

    /** Marks a condition as reported; {@code true} only for the first caller, who logs it. */
    boolean report(String condition) {
        return reported.add(condition);
    }

    /** Clears a condition, so that it is logged again should it come back. */
    void resolved(String condition) {
        reported.remove(condition);
    }

    static String missingBackend(String type) {
        return "backend:" + type;
    }

    static final String MISSING_PROVIDER = "provider";

    synchronized void setConfigProvider(ConfigProvider provider) {
        configProvider = provider;
        resolved(MISSING_PROVIDER);
        notifyAll();
    }

    /** Clears the provider only if it is still the given one (a greedy rebind binds the new one first). */
    synchronized void unsetConfigProvider(ConfigProvider provider) {
        if (configProvider == provider) {
            configProvider = null;
            departed.put(PROVIDER, System.nanoTime());
        }
    }

    synchronized void addBackend(Backend backend, String type, int ranking, long serviceId) {
        List<Registered<Backend>> list = new ArrayList<>(backendList);
        list.add(new Registered<>(Objects.requireNonNull(backend), type, ranking, serviceId));
        publishBackends(list);
        if (type != null) {
            resolved(missingBackend(type));
        }
        notifyAll();
    }

    synchronized void removeBackend(Backend backend) {
        List<Registered<Backend>> list = new ArrayList<>(backendList);
        for (Registered<Backend> r : backendList) {
            if (r.service() == backend && r.name() != null) {
                departed.put(r.name(), System.nanoTime());
            }
        }
        list.removeIf(r -> r.service() == backend);
        publishBackends(list);
    }

    private void publishBackends(List<Registered<Backend>> list) {
        list.sort(ORDER);
        Map<String, Backend> byType = new HashMap<>();
        for (Registered<Backend> r : list) {
            if (r.name() != null) {
                byType.putIfAbsent(r.name(), r.service());
            }
        }
        backendList = List.copyOf(list);
        backends = Map.copyOf(byType);
    }

    synchronized void addRouteHandler(RouteHandler handler, String name, int ranking, long serviceId) {
        List<Registered<RouteHandler>> list = new ArrayList<>(routeList);
        list.add(new Registered<>(Objects.requireNonNull(handler), name, ranking, serviceId));
        publishRoutes(list);
    }

    synchronized void removeRouteHandler(RouteHandler handler) {
        List<Registered<RouteHandler>> list = new ArrayList<>(routeList);
        list.removeIf(r -> r.service() == handler);
        publishRoutes(list);
    }

    private void publishRoutes(List<Registered<RouteHandler>> list) {
        list.sort(ORDER);
        routeList = List.copyOf(list);
        List<Route> published = new ArrayList<>(list.size());
        for (Registered<RouteHandler> r : list) {
            published.add(new Route(r.service(), matcher(r.service()), r.name()));
        }
        routes = List.copyOf(published);
    }

    /** A handler whose matcher cannot be read is offered nothing rather than everything. */
    private static RouteMatcher matcher(RouteHandler handler) {
        try {
            RouteMatcher matcher = handler.matcher();
            return matcher == null ? RouteMatcher.any() : matcher;
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Plugins.class).error("Route handler {} has no usable matcher; it is "
                    + "offered no request", handler, e);
            return RouteMatcher.when((m, p, q) -> false);
        }
    }

    synchronized void addResolver(TemporaryCredentialResolver resolver) {
        List<TemporaryCredentialResolver> list = new ArrayList<>(resolvers);
        list.add(Objects.requireNonNull(resolver));
        resolvers = List.copyOf(list);
    }

    synchronized void removeResolver(TemporaryCredentialResolver resolver) {
        List<TemporaryCredentialResolver> list = new ArrayList<>(resolvers);
        list.removeIf(r -> r == resolver);
        resolvers = List.copyOf(list);
    }
}
