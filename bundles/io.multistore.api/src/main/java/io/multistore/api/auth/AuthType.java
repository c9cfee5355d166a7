package io.multistore.api.auth;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Registers a {@link BackendCredentialSource} component for an {@code auth_type}: {@code @AuthType("oidc")} sets
 * the service property {@value BackendCredentialSource#AUTH_TYPE}.
 *
 * @since 1.1
 */
@ComponentPropertyType
@Retention(CLASS)
@Target(TYPE)
public @interface AuthType {

    /** With the annotation's name, maps the single element to {@code multistore.auth.type}. */
    String PREFIX_ = "multistore.";

    /** The {@code auth_type} served. */
    String value();
}
