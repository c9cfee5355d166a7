package io.multistore.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Config Admin configurations the launcher derives from the command line. They are written at every start, so
 * the command line wins over whatever an operator changed in the Web Console for these properties; properties of
 * the same PIDs that the launcher does not own are kept.
 */
public final class LauncherConfigurations {

    /** Felix HTTP: the singleton PID configures the default Jetty server, factory instances add more servers. */
    public static final String HTTP_PID = "org.apache.felix.http";
    /** Service property of each {@code HttpServiceRuntime} naming its Jetty server. */
    public static final String HTTP_NAME = "org.apache.felix.http.name";
    public static final String S3_SERVER = "s3";
    public static final String ADMIN_SERVER = "admin";
    public static final String S3_RUNTIME_FILTER = "(" + HTTP_NAME + "=" + S3_SERVER + ")";
    public static final String ADMIN_RUNTIME_FILTER = "(" + HTTP_NAME + "=" + ADMIN_SERVER + ")";

    public static final String CONFIG_FILE_PID = "io.multistore.config.file";
    public static final String CONFIG_CACHE_PID = "io.multistore.config.cache";
    /** The network providers' PIDs, of which {@code --config URL} configures one. */
    public static final List<String> NETWORK_PIDS = List.of("io.multistore.config.http",
            "io.multistore.config.dynamodb", "io.multistore.config.postgres");
    /**
     * Marks the configurations of config sources the launcher wrote, so that it deletes only its own when the next
     * start names another source; what an operator configured in the console is left alone.
     */
    public static final String WRITTEN_BY = "multistore.launcher.written";
    /** The gateway's command-line PID, merged over its operator PID {@code io.multistore.core.gateway}. */
    public static final String GATEWAY_PID = "io.multistore.core.gateway.cli";
    public static final String HTTP_FRONTEND_PID = "io.multistore.http";
    /** The STS's launcher PID, merged under its operator PID {@code io.multistore.auth.sts}. */
    public static final String STS_PID = "io.multistore.auth.sts.cli";
    /** The OIDC provider's launcher PID, merged under its operator PID {@code io.multistore.auth.oidc}. */
    public static final String OIDC_PID = "io.multistore.auth.oidc.cli";
    public static final String WEBCONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    public static final String WHITEBOARD_TARGET = "osgi.http.whiteboard.target";
    /** The gateway's reference target choosing its config provider, and the service property it filters on. */
    public static final String CONFIG_PROVIDER_TARGET = "configProvider.target";
    public static final String CONFIG_SOURCE = "multistore.config.source";
    /** Felix Health Check's servlet: one factory configuration per endpoint. */
    public static final String HEALTH_SERVLET_PID = "org.apache.felix.hc.core.impl.servlet.HealthCheckExecutorServlet";
    /** The admin port's servlet context (io.multistore.health), which exists only on the admin Jetty server. */
    public static final String ADMIN_CONTEXT = "multistore-admin";

    /**
     * One configuration to write.
     *
     * @param pid the PID, or the factory PID when {@code name} is set
     * @param name the name of a factory configuration ({@code pid~name}), or null
     * @param properties the properties the launcher owns
     * @param removed properties the launcher owns that must be absent (an option not given this time)
     * @param delete the configuration is to be deleted if the launcher wrote it ({@link #WRITTEN_BY}); the other
     *               fields are then empty
     */
    public record Entry(String pid, String name, Map<String, Object> properties, List<String> removed,
            boolean delete) {
        public Entry {
            properties = Map.copyOf(properties);
            removed = List.copyOf(removed);
        }

        public Entry(String pid, String name, Map<String, Object> properties, List<String> removed) {
            this(pid, name, properties, removed, false);
        }

        /** Deletes the configuration of {@code pid} if the launcher wrote it. */
        public static Entry deleted(String pid) {
            return new Entry(pid, null, Map.of(), List.of(), true);
        }

        public String fullPid() {
            return name == null ? pid : pid + "~" + name;
        }
    }

    private LauncherConfigurations() {
    }

    public static List<Entry> from(CommandLine cli, AdminCredentials admin) {
        return from(cli, admin, Map.of());
    }

    /**
     * @param secrets the validated environment secrets ({@link ServerEnvironment#frameworkProperties}): the STS
     *                keys are passed as Config Admin interpolation placeholders naming the framework property, so
     *                the key itself is never written to the Config Admin store
     */
    public static List<Entry> from(CommandLine cli, AdminCredentials admin, Map<String, String> secrets) {
        List<Entry> entries = new ArrayList<>();

        Map<String, Object> stsKeys = new LinkedHashMap<>();
        List<String> stsRemoved = new ArrayList<>();
        placeholder(secrets, ServerEnvironment.SESSION_TOKEN_KEY, "session_token_key", stsKeys, stsRemoved);
        placeholder(secrets, ServerEnvironment.SESSION_TOKEN_KEY_PREVIOUS, "session_token_key_previous", stsKeys,
                stsRemoved);
        entries.add(new Entry(STS_PID, null, stsKeys, stsRemoved));

        Map<String, Object> oidc = new LinkedHashMap<>();
        List<String> oidcRemoved = new ArrayList<>();
        placeholder(secrets, ServerEnvironment.OIDC_PROVIDER_KEY, "provider_key", oidc, oidcRemoved);
        placeholder(secrets, ServerEnvironment.OIDC_PROVIDER_KEY_PREVIOUS, "provider_key_previous", oidc,
                oidcRemoved);
        placeholder(secrets, ServerEnvironment.OIDC_PROVIDER_ISSUER, "issuer", oidc, oidcRemoved);
        entries.add(new Entry(OIDC_PID, null, oidc, oidcRemoved));

        Map<String, Object> gateway = new LinkedHashMap<>();
        List<String> gatewayRemoved = new ArrayList<>();
        if (cli.source() instanceof ConfigSource.File f) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.path().toString());
            file.put(WRITTEN_BY, true);
            cli.stsConfig().ifPresent(sts -> file.put("sts_path", sts.toString()));
            entries.add(new Entry(CONFIG_FILE_PID, null, file,
                    cli.stsConfig().isPresent() ? List.of() : List.of("sts_path")));
            NETWORK_PIDS.forEach(pid -> entries.add(Entry.deleted(pid)));
            entries.add(Entry.deleted(CONFIG_CACHE_PID));
            // the gateway's default target: the file provider
            gatewayRemoved.add(CONFIG_PROVIDER_TARGET);
        } else if (cli.source() instanceof ConfigSource.Network n) {
            entries.add(Entry.deleted(CONFIG_FILE_PID));
            for (String pid : NETWORK_PIDS) {
                if (pid.equals(n.pid())) {
                    Map<String, Object> provider = new LinkedHashMap<>(n.properties());
                    provider.put(WRITTEN_BY, true);
                    entries.add(new Entry(pid, null, provider, List.of()));
                } else {
                    entries.add(Entry.deleted(pid));
                }
            }
            // the gateway binds the cache; the cache reads through the store's provider
            Map<String, Object> cache = new LinkedHashMap<>();
            cache.put("upstream.target", "(" + CONFIG_SOURCE + "=" + n.source() + ")");
            cache.put("ttl_seconds", cli.configCacheTtl());
            cache.put(WRITTEN_BY, true);
            entries.add(new Entry(CONFIG_CACHE_PID, null, cache, List.of()));
            gateway.put(CONFIG_PROVIDER_TARGET, "(" + CONFIG_SOURCE + "=cache)");
        }

        cli.domain().ifPresentOrElse(domain -> gateway.put("domain", domain), () -> gatewayRemoved.add("domain"));
        entries.add(new Entry(GATEWAY_PID, null, gateway, gatewayRemoved));

        // The S3 port is the default (singleton) Jetty server; framework properties in etc/config.properties carry
        // the tuning shared by both servers, so these configurations only say which server is which.
        Map<String, Object> s3 = jetty(S3_SERVER, cli.listen());
        // S3 keys may contain '//', '..' and encoded slashes; Jetty's default compliance would reject them.
        s3.put("org.eclipse.jetty.UriComplianceMode", "LEGACY");
        entries.add(new Entry(HTTP_PID, null, s3, List.of()));
        entries.add(new Entry(HTTP_PID, ADMIN_SERVER, jetty(ADMIN_SERVER, cli.adminListen()), List.of()));

        entries.add(new Entry(HTTP_FRONTEND_PID, null, Map.of(WHITEBOARD_TARGET, S3_RUNTIME_FILTER), List.of()));

        Map<String, Object> console = new LinkedHashMap<>();
        console.put("username", admin.username());
        console.put("password", admin.passwordHash());
        console.put("realm", "Multistore Admin");
        console.put("http.service.filter", ADMIN_RUNTIME_FILTER);
        entries.add(new Entry(WEBCONSOLE_PID, null, console, List.of()));

        // Health endpoints on the admin port: JSON for load balancers and probes, HTML for people.
        entries.add(health("live", "/health/live", "liveness", "json"));
        entries.add(health("ready", "/health/ready", "readiness", "json"));
        entries.add(health("all", "/health", "multistore", "html"));
        return List.copyOf(entries);
    }

    private static void placeholder(Map<String, String> secrets, String variable, String property,
            Map<String, Object> properties, List<String> removed) {
        if (secrets.containsKey(variable)) {
            properties.put(property, "$[prop:" + variable + "]");
        } else {
            removed.add(property);
        }
    }

    private static Entry health(String name, String path, String tags, String format) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("servletContextName", ADMIN_CONTEXT);
        properties.put("servletPath", path);
        properties.put("tags", new String[] {tags});
        properties.put("format", format);
        return new Entry(HEALTH_SERVLET_PID, name, properties, List.of());
    }

    private static Map<String, Object> jetty(String name, ListenAddress address) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(HTTP_NAME, name);
        properties.put("org.apache.felix.http.host", address.host());
        properties.put("org.osgi.service.http.port", address.port());
        properties.put("org.apache.felix.http.enable", true);
        properties.put("org.apache.felix.https.enable", false);
        return properties;
    }
}
