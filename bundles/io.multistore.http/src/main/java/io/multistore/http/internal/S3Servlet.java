package io.multistore.http.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.http.Gateway;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 endpoint: one servlet on the Jakarta Servlet Whiteboard that hands every request to the gateway.
 * <p>
 * It holds a static reference to the gateway only. The gateway keeps its own dynamic registries of backends,
 * providers and route handlers, so plugin churn never re-registers this servlet or drops a stream in flight.
 * Which Jetty server it lands on is chosen by {@code osgi.http.whiteboard.target} in its configuration (the launcher
 * points it at the S3 port, away from the admin port).
 */
@Component(service = jakarta.servlet.Servlet.class, configurationPid = S3Servlet.PID)
@Designate(ocd = S3Servlet.Config.class)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletName("multistore-s3")
public final class S3Servlet extends HttpServlet {
    static final String PID = "io.multistore.http";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(S3Servlet.class);

    @ObjectClassDefinition(name = "Multistore S3 endpoint",
            description = "The servlet that serves the S3 API. It is bound to the Jetty server selected below.")
    public @interface Config {
        @AttributeDefinition(name = "HTTP server",
                description = "LDAP filter selecting the Jetty server (HttpServiceRuntime) that serves the S3 API, "
                        + "e.g. (org.apache.felix.http.name=s3). Empty: every server.", required = false)
        String osgi_http_whiteboard_target();
    }

    private final transient Gateway gateway;
    private final transient JettyFrontEnd jetty;

    @Activate
    public S3Servlet(@Reference Gateway gateway) {
        this.gateway = gateway;
        this.jetty = new JettyFrontEnd(gateway);
    }

    @Deactivate
    void deactivate() {
        jetty.close();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        jetty.prepare(request, response);
        ServletExchange exchange = new ServletExchange(request, response);
        try {
            gateway.handle(exchange);
        } catch (IOException e) {
            // The client went away or the body broke after the response was committed: Jetty aborts the connection.
            LOG.debug("Connection aborted: {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            throw e;
        } catch (RuntimeException e) {
            LOG.error("Unhandled failure for {} {}", request.getMethod(), request.getRequestURI(), e);
            if (!response.isCommitted()) {
                response.reset(); // an S3 error document with a request id, not the container's page
                gateway.reject(exchange, new S3Exception(S3ErrorCode.InternalError, "unhandled failure", e));
            } else {
                throw e;
            }
        }
    }
}
