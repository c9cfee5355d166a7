package io.multistore.core.internal;

import io.multistore.api.auth.TemporaryCredentialResolver;
import io.multistore.api.backend.Backend;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.http.RouteHandler;
import io.multistore.api.http.RouteMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    /** The active config provider, or {@code null}. */
    ConfigProvider configProvider() {
        return configProvider;
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

    synchronized void setConfigProvider(ConfigProvider provider) {
        configProvider = provider;
    }

    /** Clears the provider only if it is still the given one (a greedy rebind binds the new one first). */
    synchronized void unsetConfigProvider(ConfigProvider provider) {
        if (configProvider == provider) {
            configProvider = null;
        }
    }

    synchronized void addBackend(Backend backend, String type, int ranking, long serviceId) {
        List<Registered<Backend>> list = new ArrayList<>(backendList);
        list.add(new Registered<>(Objects.requireNonNull(backend), type, ranking, serviceId));
        publishBackends(list);
    }

    synchronized void removeBackend(Backend backend) {
        List<Registered<Backend>> list = new ArrayList<>(backendList);
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
