package io.multistore.core.internal;

import io.multistore.api.CorsRule;
import io.multistore.api.auth.TemporaryCredentialResolver;
import io.multistore.api.backend.Backend;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.http.Gateway;
import io.multistore.api.http.HttpExchange;
import io.multistore.api.http.RouteHandler;
import io.multistore.api.observe.RequestListener;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a service. It only wires plugins into the {@link Plugins} registry and store cache; the work is
 * done by {@link S3Gateway}. Every plugin reference is dynamic, so plugins come and go without restarting the
 * gateway or the front end that holds it; with no config provider bound it answers 503.
 */
@Component(service = Gateway.class, configurationPid = {GatewayComponent.COMMAND_LINE_PID, GatewayComponent.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class GatewayComponent implements Gateway {

    static final String PID = "io.multistore.core.gateway";
    /**
     * Settings the launcher derives from the command line ({@code --domain}), in a PID of their own so that an
     * operator's {@code .cfg} for {@link #PID} (merged over it) never erases them; a property set explicitly there
     * still wins.
     */
    static final String COMMAND_LINE_PID = "io.multistore.core.gateway.cli";

    private static final Logger LOG = LoggerFactory.getLogger(GatewayComponent.class);

    // the form is for the operator PID only (no @Designate: the component has two PIDs)
    @ObjectClassDefinition(id = PID, pid = PID, name = "Multistore gateway",
            description = "The S3 gateway: request routing, authentication, authorization and dispatch to backends.")
    public @interface Config {

        @AttributeDefinition(name = "Virtual-host domain", description = "Domain for virtual-hosted-style requests "
                + "(bucket.DOMAIN/key), e.g. s3.example.com. Empty: path-style requests (/bucket/key) only.",
                required = false)
        String domain() default "";

        @AttributeDefinition(name = "Config provider", description = "LDAP filter selecting the config provider "
                + "service by its source, e.g. (multistore.config.source=http).")
        String configProvider_target() default "(" + ConfigProvider.SOURCE + "=file)";

        @AttributeDefinition(name = "Maximum object size", description = "Largest single PUT or multipart part, "
                + "in bytes; larger uploads are refused with EntityTooLarge before their body is read.")
        long max__object__size() default GatewaySettings.DEFAULT_MAX_OBJECT_SIZE;

        @AttributeDefinition(name = "Maximum XML size", description = "Largest XML request body "
                + "(CompleteMultipartUpload, DeleteObjects), in bytes; larger bodies are refused with MalformedXML.")
        long max__xml__size() default GatewaySettings.DEFAULT_MAX_XML_SIZE;

        @AttributeDefinition(name = "Plugin grace time", description = "Milliseconds a request waits for a backend "
                + "or config provider that just went away to be replaced (a bundle update or refresh) before it "
                + "fails with 503; a type that stays absent longer fails at once. 0: never wait.")
        long plugin__grace__ms() default GatewaySettings.DEFAULT_PLUGIN_GRACE_MS;

        @AttributeDefinition(name = "Accept Signature Version 2", description = "Whether requests signed with AWS "
                + "Signature Version 2 (Authorization: AWS AKID:signature, or AWSAccessKeyId/Expires/Signature "
                + "presigned URLs as boto3 makes them by default) are accepted. Off: they are refused with "
                + "InvalidRequest and only Signature Version 4 works.")
        boolean sigv2__enabled() default true;

        @AttributeDefinition(name = "Maximum open stores", description = "How many bucket stores (backend clients) "
                + "stay open at once; beyond it the least recently used is closed once its requests end.")
        int max__stores() default StoreCache.DEFAULT_MAX_STORES;

        @AttributeDefinition(name = "Store check interval", description = "Seconds between checks that close the "
                + "stores of buckets that were removed or changed, or that stayed idle for ten minutes.")
        int store__check__seconds() default 15;

        @AttributeDefinition(name = "Default CORS origins", description = "Origins allowed to call buckets that "
                + "set no cors rules of their own, e.g. https://app.example.com, https://*.example.com or *. "
                + "Empty: such buckets answer no cross-origin request.", required = false)
        String[] cors__allowed__origins() default {};

        @AttributeDefinition(name = "Default CORS methods", description = "Methods the default CORS rule allows: "
                + "GET, PUT, POST, DELETE, HEAD.")
        String[] cors__allowed__methods() default {"GET", "HEAD"};

        @AttributeDefinition(name = "Default CORS request headers", description = "Request headers a preflight "
                + "may ask for under the default rule; one '*' per entry matches any run of characters, "
                + "e.g. x-amz-* or *.", required = false)
        String[] cors__allowed__headers() default {};

        @AttributeDefinition(name = "Default CORS exposed headers", description = "Response headers scripts may "
                + "read under the default rule, e.g. ETag, x-amz-request-id.", required = false)
        String[] cors__expose__headers() default {"ETag"};

        @AttributeDefinition(name = "Default CORS max age", description = "Seconds a browser may cache a preflight "
                + "answer of the default rule; -1 sends no Access-Control-Max-Age.")
        long cors__max__age__seconds() default -1;
    }

    /** The default CORS rule of the configuration, if it names any origin; an invalid one refuses the gateway. */
    static List<CorsRule> defaultCors(Config config) {
        String[] origins = config.cors__allowed__origins();
        if (origins == null || origins.length == 0 || (origins.length == 1 && origins[0].isBlank())) {
            return List.of();
        }
        try {
            return List.of(new CorsRule(List.of(origins), list(config.cors__allowed__methods()),
                    list(config.cors__allowed__headers()), list(config.cors__expose__headers()),
                    config.cors__max__age__seconds(), "default"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid default CORS rule (cors_*): " + e.getMessage(), e);
        }
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : java.util.Arrays.stream(values).filter(v -> !v.isBlank()).toList();
    }

    private final Plugins plugins = new Plugins();
    private final StoreCache stores;
    private final S3Gateway gateway;
    private final ServiceRegistration<ConfigProvider> activeConfig;
    private final ScheduledExecutorService sweeper;

    /**
     * @param context where the active configuration is published (a {@link ConfigProvider} with
     *                {@link ConfigProvider#ACTIVE}); {@code null} publishes nothing (unit tests)
     */
    @Activate
    public GatewayComponent(Config config, BundleContext context) {
        GatewaySettings settings = new GatewaySettings(config.domain(), config.max__object__size(),
                config.max__xml__size(), Duration.ofMillis(Math.max(0, config.plugin__grace__ms())),
                defaultCors(config), config.sigv2__enabled());
        this.stores = new StoreCache(Math.max(1, config.max__stores()), StoreCache.DEFAULT_IDLE_TIMEOUT,
                System::nanoTime);
        this.gateway = new S3Gateway(settings, plugins, stores, Clock.systemUTC());
        // registered by hand, not as a DS service of this component: the gateway's own reference to a
        // ConfigProvider must never see it
        this.activeConfig = context == null ? null : context.registerService(ConfigProvider.class,
                new ActiveConfigProvider(plugins, settings.pluginGraceNanos()),
                FrameworkUtil.asDictionary(Map.of(ConfigProvider.ACTIVE, true)));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "multistore-store-check");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.store__check__seconds());
        sweeper.scheduleWithFixedDelay(this::checkStores, every, every, TimeUnit.SECONDS);
        LOG.debug("Gateway active: domain '{}', max object size {}, max XML size {}", settings.domain(),
                settings.maxObjectSize(), settings.maxXmlSize());
    }

    @Deactivate
    void deactivate() {
        if (activeConfig != null) {
            try {
                activeConfig.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        sweeper.shutdownNow();
        stores.close();
    }

    /** Closes the stores of buckets that went away or changed, checked against the active provider. */
    private void checkStores() {
        ConfigProvider provider = plugins.configProvider();
        if (provider == null) {
            return;
        }
        try {
            stores.sweep(name -> BucketPatterns.resolve(provider, name));
        } catch (RuntimeException e) {
            LOG.warn("Checking the open stores failed", e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        gateway.handle(exchange);
    }

    @Override
    public void reject(HttpExchange exchange, io.multistore.api.S3Exception error) throws IOException {
        gateway.reject(exchange, error);
    }

    @Reference(name = "configProvider", service = ConfigProvider.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + ConfigProvider.SOURCE + "=file)", unbind = "unsetConfigProvider")
    void setConfigProvider(ConfigProvider provider, Map<String, Object> properties) {
        LOG.info("Config provider bound: {}", properties.get(ConfigProvider.SOURCE));
        plugins.setConfigProvider(provider);
    }

    void unsetConfigProvider(ConfigProvider provider, Map<String, Object> properties) {
        LOG.info("Config provider unbound: {}", properties.get(ConfigProvider.SOURCE));
        plugins.unsetConfigProvider(provider);
    }

    @Reference(name = "backend", service = Backend.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeBackend", updated = "updatedBackend")
    void addBackend(Backend backend, Map<String, Object> properties) {
        Object type = properties.get(Backend.TYPE);
        if (type == null) {
            LOG.warn("Backend service {} has no {} property; ignored", properties.get("service.id"), Backend.TYPE);
        } else {
            LOG.info("Backend bound for backend_type '{}'", type);
        }
        stores.admitBackend(backend);
        plugins.addBackend(backend, type == null ? null : type.toString(), ranking(properties),
                serviceId(properties));
    }

    void updatedBackend(Backend backend, Map<String, Object> properties) {
        removeBackend(backend, properties);
        addBackend(backend, properties);
    }

    void removeBackend(Backend backend, Map<String, Object> properties) {
        LOG.info("Backend unbound for backend_type '{}'", properties.get(Backend.TYPE));
        plugins.removeBackend(backend);
        stores.retireBackend(backend);
    }

    @Reference(name = "routeHandler", service = RouteHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeRouteHandler")
    void addRouteHandler(RouteHandler handler, Map<String, Object> properties) {
        LOG.debug("Route handler bound: {}", properties.get(RouteHandler.NAME));
        Object name = properties.get(RouteHandler.NAME);
        plugins.addRouteHandler(handler, name == null ? null : name.toString(), ranking(properties),
                serviceId(properties));
    }

    void removeRouteHandler(RouteHandler handler) {
        plugins.removeRouteHandler(handler);
    }

    @Reference(name = "temporaryCredentialResolver", service = TemporaryCredentialResolver.class,
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeResolver")
    void addResolver(TemporaryCredentialResolver resolver) {
        plugins.addResolver(resolver);
    }

    void removeResolver(TemporaryCredentialResolver resolver) {
        plugins.removeResolver(resolver);
    }

    @Reference(name = "requestListener", service = RequestListener.class,
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeListener")
    void addListener(RequestListener listener) {
        plugins.addListener(listener);
    }

    void removeListener(RequestListener listener) {
        plugins.removeListener(listener);
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get("service.ranking") instanceof Integer i ? i : 0;
    }

    private static long serviceId(Map<String, Object> properties) {
        return properties.get("service.id") instanceof Long l ? l : Long.MAX_VALUE;
    }
}
