package io.multistore.api.config;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Registers a {@link ConfigProvider} component under its source name: {@code @ConfigSource("postgres")} sets the
 * service property {@value ConfigProvider#SOURCE} that the gateway's reference target selects on.
 */
@ComponentPropertyType
@Retention(CLASS)
@Target(TYPE)
public @interface ConfigSource {

    /** With the annotation's name, maps the single element to {@code multistore.config.source}. */
    String PREFIX_ = "multistore.";

    /** The source name: {@code file}, {@code http}, {@code dynamodb}, {@code postgres}, ... */
    String value();
}
