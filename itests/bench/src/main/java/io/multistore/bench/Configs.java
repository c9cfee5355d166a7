package io.multistore.bench;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Component configurations as Declarative Services hands them over: the annotation's defaults, some overridden. */
final class Configs {

    private Configs() {
    }

    /** {@code values} by the annotation's method names ({@code queue__size}, not {@code queue_size}). */
    static <A> A of(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Object value = values.get(method.getName());
            return value != null ? value : method.getDefaultValue();
        }));
    }
}
