package io.multistore.api.http;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a {@link RouteHandler} component for logs and the console: {@code @RouteName("sts")} sets the service
 * property {@value RouteHandler#NAME}.
 */
@ComponentPropertyType
@Retention(CLASS)
@Target(TYPE)
public @interface RouteName {

    /** With the annotation's name, maps the single element to {@code multistore.route.name}. */
    String PREFIX_ = "multistore.";

    String value();
}
