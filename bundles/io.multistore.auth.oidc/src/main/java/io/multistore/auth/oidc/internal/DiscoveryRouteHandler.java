package io.multistore.auth.oidc.internal;

import io.multistore.api.http.HttpExchange;
import io.multistore.api.http.RouteHandler;
import io.multistore.api.http.RouteMatcher;
import io.multistore.api.http.RouteName;
import java.io.IOException;
import java.io.OutputStream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /.well-known/openid-configuration} and {@code GET /.well-known/jwks.json} on the S3 port, before S3
 * routing and without authentication: clouds fetch them to verify the JWTs the gateway mints, so they must be
 * publicly reachable. Cacheable for {@code discovery_max_age_secs}. Without a provider key and issuer nothing is
 * served here (the paths fall through to the S3 API).
 */
@Component(service = RouteHandler.class, configurationPid = {OidcConfig.CLI_PID, OidcConfig.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@RouteName("oidc-discovery")
public final class DiscoveryRouteHandler implements RouteHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryRouteHandler.class);

    private final Discovery discovery;
    private final RouteMatcher matcher;
    private final String cacheControl;

    /**
     * @throws IllegalArgumentException for a malformed key or issuer: SCR refuses the component and logs why
     */
    @Activate
    public DiscoveryRouteHandler(OidcConfig config) {
        if (config.provider__key().isBlank() || config.issuer().isBlank()) {
            LOG.debug("OIDC discovery is off: no provider key and issuer (OIDC_PROVIDER_KEY, OIDC_PROVIDER_ISSUER)");
            this.discovery = null;
            this.matcher = RouteMatcher.when((m, p, q) -> false);
        } else {
            this.discovery = new Discovery(Issuers.validate(config.issuer()),
                    ProviderKeys.parse(config.provider__key(), config.provider__key__previous()));
            String configuration = discovery.configurationPath();
            String jwks = discovery.jwksPath();
            this.matcher = RouteMatcher.pathPrefix("/").methods("GET", "HEAD")
                    .and((m, p, q) -> p.equals(configuration) || p.equals(jwks));
        }
        this.cacheControl = "public, max-age=" + Math.max(0, config.discovery__max__age__secs());
    }

    @Override
    public RouteMatcher matcher() {
        return matcher;
    }

    @Override
    public boolean handle(HttpExchange exchange) throws IOException {
        byte[] body = discovery == null ? null : discovery.document(exchange.rawPath());
        if (body == null) {
            return false;
        }
        exchange.setStatus(200);
        exchange.setHeader("Content-Type", "application/json");
        exchange.setHeader("Content-Length", Integer.toString(body.length));
        exchange.setHeader("Cache-Control", cacheControl);
        OutputStream out = exchange.responseBody();
        if (!"HEAD".equals(exchange.method())) {
            out.write(body);
        }
        out.flush();
        return true;
    }
}
