package io.multistore.testsupport;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A component property type (the {@code @interface} a DS component's constructor takes) with the given values and
 * the annotation's defaults for the rest, as SCR would build it — so a test constructs the component with {@code new}.
 * Keys are the method names ({@code provider__key}).
 */
public final class ConfigAnnotations {

    private ConfigAnnotations() {
    }

    public static <A> A create(Class<A> type, Map<String, ?> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (values.containsKey(name)) {
                return values.get(name);
            }
            return switch (name) {
                case "annotationType" -> type;
                case "toString" -> type.getSimpleName() + values.keySet();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> method.getDefaultValue();
            };
        }));
    }
}
