package io.multistore.auth.sts.internal;

import io.multistore.api.config.ConfigProvider;
import io.multistore.api.http.HttpExchange;
import io.multistore.api.http.RouteHandler;
import io.multistore.api.http.RouteMatcher;
import io.multistore.api.http.RouteName;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AssumeRoleWithWebIdentity} beside the S3 API: recognised by {@code Action=} in the query on any path (as
 * multistore does, e.g. {@code /} or {@code /.sts}), or as AWS SDKs send it, a form-encoded {@code POST} without a
 * query. Any other request is declined untouched (a form body it read stays readable for the S3 path).
 */
@Component(service = RouteHandler.class, configurationPid = {StsConfig.CLI_PID, StsConfig.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@RouteName("sts")
public final class StsRouteHandler implements RouteHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StsRouteHandler.class);
    /** An STS form is a JWT and a few names: a few KiB. Larger bodies are not STS calls and are left alone. */
    static final int MAX_FORM_BYTES = 64 * 1024;

    private static final RouteMatcher MATCHER = RouteMatcher.when((method, path, query) ->
            StsRequest.mentionsAction(query) || "POST".equals(method) && (query == null || query.isEmpty()));

    private final AssumeRoleWithWebIdentity sts;

    @Activate
    public StsRouteHandler(StsConfig config,
            @Reference(target = ConfigProvider.ACTIVE_FILTER) ConfigProvider activeConfig) {
        this(config, activeConfig, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(
                config.jwks__timeout__secs())).followRedirects(HttpClient.Redirect.NEVER).build(), Clock.systemUTC());
    }

    StsRouteHandler(StsConfig config, ConfigProvider activeConfig, HttpClient http, Clock clock) {
        SessionTokens tokens = null;
        if (config.session__token__key().isBlank()) {
            LOG.warn("STS has no session token key (SESSION_TOKEN_KEY): AssumeRoleWithWebIdentity answers "
                    + "InternalError until one is configured");
        } else {
            // a malformed key is a startup error naming the setting (never its value): SCR logs it
            tokens = new SessionTokens(config.session__token__key(), config.session__token__key__previous());
        }
        JwksCache keys = new JwksCache(http, Duration.ofSeconds(config.jwks__cache__ttl__secs()),
                Duration.ofSeconds(config.jwks__min__refresh__secs()), Duration.ofSeconds(config.jwks__timeout__secs()),
                config.allow__http__loopback__issuers(), clock);
        if (config.allow__http__loopback__issuers()) {
            LOG.warn("STS accepts plain-HTTP OIDC issuers on 127.0.0.1 (allow_http_loopback_issuers): for tests only");
        }
        this.sts = new AssumeRoleWithWebIdentity(activeConfig, new WebIdentityVerifier(keys, clock), tokens, clock);
    }

    @Override
    public RouteMatcher matcher() {
        return MATCHER;
    }

    @Override
    public boolean handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        StsRequest request;
        try {
            Optional<StsRequest> parsed = StsRequest.parse(exchange.rawQuery());
            if (parsed.isEmpty()) {
                Optional<String> form = exchange.formBody(MAX_FORM_BYTES);
                if (form.isEmpty()) {
                    return false;
                }
                parsed = StsRequest.parse(form.get());
            }
            if (parsed.isEmpty()) {
                return false;
            }
            request = parsed.get();
        } catch (StsException e) {
            respond(exchange, requestId, e.code().status, StsXml.error(e, requestId));
            return true;
        }
        try {
            AssumeRoleWithWebIdentity.Minted minted = sts.assume(request);
            LOG.info("STS: role '{}' assumed by subject '{}' of {}, access key {} until {}",
                    minted.credential().identity().roleId(), minted.credential().identity().subject(),
                    minted.issuer(), minted.credential().accessKeyId(), minted.credential().identity().expiresAt());
            respond(exchange, requestId, 200, StsXml.success(minted.credential(), minted.sessionToken(), minted.issuer(),
                    minted.audience(), requestId));
        } catch (StsException e) {
            if (e.code().status >= 500) {
                LOG.error("STS request {} for role '{}' failed: {}", requestId, request.roleArn(), e.getMessage(),
                        e.getCause());
            } else {
                LOG.info("STS request {} for role '{}' refused: {} {}", requestId, request.roleArn(), e.code(),
                        e.getMessage());
            }
            respond(exchange, requestId, e.code().status, StsXml.error(e, requestId));
        }
        return true;
    }

    private static void respond(HttpExchange exchange, String requestId, int status, byte[] body) throws IOException {
        exchange.setStatus(status);
        exchange.setHeader("Content-Type", "text/xml");
        exchange.setHeader("Content-Length", Integer.toString(body.length));
        exchange.setHeader("x-amzn-RequestId", requestId);
        exchange.setHeader("Cache-Control", "no-store"); // credentials
        OutputStream out = exchange.responseBody();
        out.write(body);
        out.flush();
    }
}
