package io.multistore.health.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.context.ServletContextHelper;

/**
 * The servlet context of the admin port's operational endpoints. The Felix Health Check servlets select it by name
 * ({@code servletContextName=multistore-admin}); it exists only on the admin Jetty server, so the health endpoints
 * never appear on the S3 port, where {@code /health} would be a bucket.
 */
@Component(service = ServletContextHelper.class, property = {
        "osgi.http.whiteboard.context.name=" + AdminContext.NAME,
        "osgi.http.whiteboard.context.path=/",
        "osgi.http.whiteboard.target=(org.apache.felix.http.name=admin)"})
public final class AdminContext extends ServletContextHelper {

    public static final String NAME = "multistore-admin";
}
