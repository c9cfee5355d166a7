package io.multistore.api.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a {@link RouteHandler} wants to be offered: a path (exact or prefix), methods, and a predicate over method,
 * path and query. The gateway tests it before it calls the handler, so a handler is never offered a request it did
 * not ask for. Immutable; the refining methods return new matchers.
 */
public final class RouteMatcher {

    /** A test over the request line only: the body and headers are not read. */
    @FunctionalInterface
    public interface RoutePredicate {
        /**
         * @param method  the HTTP method, upper case
         * @param rawPath the path as sent, still percent-encoded
         * @param rawQuery the query as sent, or {@code null}
         */
        boolean test(String method, String rawPath, String rawQuery);
    }

    private static final RouteMatcher ANY = new RouteMatcher(null, false, Set.of(), null);

    private final String path;
    private final boolean prefix;
    private final Set<String> methods;
    private final RoutePredicate predicate;

    private RouteMatcher(String path, boolean prefix, Set<String> methods, RoutePredicate predicate) {
        this.path = path;
        this.prefix = prefix;
        this.methods = methods;
        this.predicate = predicate;
    }

    /** Every request: what a handler written against version 1.0 of this package is offered. */
    public static RouteMatcher any() {
        return ANY;
    }

    /** Requests for exactly this (percent-encoded) path, e.g. {@code /.well-known/jwks.json}. */
    public static RouteMatcher path(String rawPath) {
        return new RouteMatcher(Objects.requireNonNull(rawPath, "rawPath"), false, Set.of(), null);
    }

    /** Requests whose path starts with this prefix, e.g. {@code /.well-known/}. */
    public static RouteMatcher pathPrefix(String rawPathPrefix) {
        return new RouteMatcher(Objects.requireNonNull(rawPathPrefix, "rawPathPrefix"), true, Set.of(), null);
    }

    /** Requests matching the predicate (any path, any method unless narrowed). */
    public static RouteMatcher when(RoutePredicate predicate) {
        return ANY.and(predicate);
    }

    /** This matcher, narrowed to these methods ({@code GET}, {@code POST}, …). */
    public RouteMatcher methods(String... names) {
        Set<String> set = Arrays.stream(names).map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        return new RouteMatcher(path, prefix, Set.copyOf(set), predicate);
    }

    /** This matcher, narrowed by a further predicate (both must hold). */
    public RouteMatcher and(RoutePredicate more) {
        Objects.requireNonNull(more, "predicate");
        RoutePredicate first = predicate;
        RoutePredicate combined = first == null ? more
                : (m, p, q) -> first.test(m, p, q) && more.test(m, p, q);
        return new RouteMatcher(path, prefix, methods, combined);
    }

    /** Whether a request with this request line is offered to the handler. */
    public boolean matches(String method, String rawPath, String rawQuery) {
        if (!methods.isEmpty() && !methods.contains(method)) {
            return false;
        }
        if (path != null && !(prefix ? rawPath.startsWith(path) : rawPath.equals(path))) {
            return false;
        }
        return predicate == null || predicate.test(method, rawPath, rawQuery);
    }

    @Override
    public String toString() {
        return "RouteMatcher[" + (path == null ? "any path" : (prefix ? path + "*" : path))
                + (methods.isEmpty() ? "" : ", methods " + methods) + (predicate == null ? "" : ", predicate") + "]";
    }
}
