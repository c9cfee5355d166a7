package io.multistore.api.backend;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Registers a {@link Backend} component for a {@code backend_type}: {@code @BackendType("az")} sets the service
 * property {@value Backend#TYPE}.
 */
@ComponentPropertyType
@Retention(CLASS)
@Target(TYPE)
public @interface BackendType {

    /** With the annotation's name, maps the single element to {@code multistore.backend.type}. */
    String PREFIX_ = "multistore.";

    /** The {@code backend_type} served. */
    String value();
}
