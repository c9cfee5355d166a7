package io.multistore.backend.s3.internal;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Registers a {@link io.multistore.api.backend.Backend} under {@code multistore.backend.type}
 * ({@link io.multistore.api.backend.Backend#TYPE}).
 */
@ComponentPropertyType
@Retention(CLASS)
@Target(TYPE)
public @interface BackendType {

    /** Maps the single element to {@code multistore.backend.type}. */
    String PREFIX_ = "multistore.";

    String value();
}
