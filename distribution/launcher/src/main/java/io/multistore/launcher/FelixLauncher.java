package io.multistore.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Embeds Felix: framework properties from {@code etc/config.properties}, {@code boot/*.jar} at start level 1,
 * {@code bundle/*.jar} at start level 2 ({@code deploy/} is FileInstall's, at level 3), and the command line
 * written to Config Admin the moment Config Admin registers, before the bundles that consume it start.
 */
final class FelixLauncher {

    static final int BOOT_LEVEL = 1;
    static final int BUNDLE_LEVEL = 2;
    /** Bundle-SymbolicNames installed (and so started) first within their start level. */
    static final String INSTALL_FIRST = "multistore.install.first";

    private final Path home;
    private final Path dataDir;
    private final Path cacheDir;
    private final PrintStream err;

    FelixLauncher(Path home, Path dataDir, Path cacheDir, PrintStream err) {
        this.home = home;
        this.dataDir = dataDir;
        this.cacheDir = cacheDir;
        this.err = err;
    }

    /** Reads {@code etc/config.properties}, expanding {@code ${name}} from the launcher's paths and system properties. */
    Map<String, String> frameworkProperties() throws IOException {
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("etc/config.properties"))) {
            file.load(in);
        }
        Map<String, String> variables = new HashMap<>();
        variables.put("multistore.home", home.toString());
        variables.put("multistore.data", dataDir.toString());
        variables.put("multistore.cache", cacheDir.toString());
        Map<String, String> properties = new HashMap<>();
        for (String name : file.stringPropertyNames()) {
            properties.put(name, expand(file.getProperty(name), variables));
        }
        properties.put(Constants.FRAMEWORK_STORAGE, cacheDir.toString());
        return properties;
    }

    static String expand(String value, Map<String, String> variables) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = variables.getOrDefault(name, System.getProperty(name, ""));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Fails fast with the operator's words when a port is taken, instead of a Jetty stack trace later. */
    static void checkBindable(ListenAddress address, String flag) throws UsageException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address.host(), address.port()));
        } catch (IOException e) {
            throw new UsageException(flag + ": cannot listen on " + address + ": " + e.getMessage(), false);
        }
    }

    /** Starts the framework; returns once every start level has been reached. */
    Framework start(Map<String, Object> properties, List<LauncherConfigurations.Entry> configurations)
            throws BundleException, IOException, InvalidSyntaxException {
        Map<String, Object> config = new HashMap<>(properties);
        config.put("felix.log.logger", new StderrLogger());
        Framework framework = new Felix(config);
        framework.init();
        BundleContext context = framework.getBundleContext();

        AtomicReference<Exception> configFailure = new AtomicReference<>();
        // Synchronous listener: the configurations exist before the bundles after Config Admin start, so Jetty and
        // the console come up once, on the right ports, instead of starting with defaults and restarting.
        context.addServiceListener(event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                try {
                    writeConfigurations(context, event.getServiceReference(), configurations);
                } catch (Exception e) {
                    configFailure.set(e);
                }
            }
        }, "(" + Constants.OBJECTCLASS + "=" + ConfigurationAdmin.class.getName() + ")");

        keepCommandLineSettings(context, configurations);

        String first = String.valueOf(properties.getOrDefault(INSTALL_FIRST, ""));
        List<Bundle> installed = new ArrayList<>();
        installed.addAll(install(context, home.resolve("boot"), BOOT_LEVEL, first));
        installed.addAll(install(context, home.resolve("bundle"), BUNDLE_LEVEL, first));
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    // Not yet resolvable is reported by the framework when the start level is reached.
                    err.println("WARN [launcher] " + bundle.getSymbolicName() + ": " + e.getMessage());
                }
            }
        }
        framework.start();
        if (configFailure.get() != null) {
            throw new IOException("writing configurations failed: " + configFailure.get(), configFailure.get());
        }
        if (framework.getBundleContext().getServiceReference(ConfigurationAdmin.class) == null) {
            throw new IOException("Config Admin is not running; is org.apache.felix.configadmin in bundle/?");
        }
        return framework;
    }

    /**
     * The command line wins for the properties it owns, whoever else writes the PID: a {@code .cfg} dropped into
     * {@code deploy/} replaces a whole configuration (and deleting it deletes the configuration), so the launcher puts
     * its properties back after every such change. Operators own every other property of these PIDs.
     */
    private void keepCommandLineSettings(BundleContext context, List<LauncherConfigurations.Entry> configurations) {
        Map<String, LauncherConfigurations.Entry> byPid = new HashMap<>();
        // Config sources (WRITTEN_BY) are seeded and deleted once, at start: switching the source at runtime (the
        // cache's upstream.target in the console or a .cfg) is the operator's to do, and the next start's command
        // line wins again.
        configurations.stream().filter(entry -> !entry.delete()
                && !entry.properties().containsKey(LauncherConfigurations.WRITTEN_BY))
                .forEach(entry -> byPid.put(entry.fullPid(), entry));
        context.registerService(ConfigurationListener.class, event -> {
            LauncherConfigurations.Entry entry = byPid.get(event.getPid());
            if (entry == null || event.getType() == ConfigurationEvent.CM_LOCATION_CHANGED) {
                return;
            }
            try {
                // a no-op when the properties are already there, so this converges after one round
                writeConfigurations(context, event.getReference(), List.of(entry));
            } catch (IOException | InvalidSyntaxException | RuntimeException e) {
                err.println("WARN [launcher] could not restore the command-line settings of " + event.getPid()
                        + ": " + e);
            }
        }, null);
    }

    private List<Bundle> install(BundleContext context, Path dir, int level, String first)
            throws BundleException, IOException {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jar")) {
                stream.forEach(jars::add);
            }
        }
        List<String> order = List.of(first.split("\\s*,\\s*"));
        Map<Path, Integer> rank = new HashMap<>();
        for (Path jar : jars) {
            int index = order.indexOf(symbolicName(jar));
            rank.put(jar, index < 0 ? Integer.MAX_VALUE : index);
        }
        jars.sort((a, b) -> rank.get(a).equals(rank.get(b))
                ? a.getFileName().toString().compareTo(b.getFileName().toString())
                : Integer.compare(rank.get(a), rank.get(b)));
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            Bundle bundle = context.installBundle(jar.toUri().toString());
            bundle.adapt(BundleStartLevel.class).setStartLevel(level);
            bundles.add(bundle);
        }
        return bundles;
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String bsn = file.getManifest() == null ? null
                    : file.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return bsn == null ? "" : bsn.split(";")[0].trim();
        }
    }

    private static void writeConfigurations(BundleContext context, ServiceReference<?> reference,
            List<LauncherConfigurations.Entry> entries) throws IOException, InvalidSyntaxException {
        ConfigurationAdmin admin = (ConfigurationAdmin) context.getService(reference);
        try {
            for (LauncherConfigurations.Entry entry : entries) {
                if (entry.delete()) {
                    Configuration[] existing = admin.listConfigurations("(&(" + Constants.SERVICE_PID + "="
                            + entry.pid() + ")(" + LauncherConfigurations.WRITTEN_BY + "=true))");
                    for (Configuration c : existing == null ? new Configuration[0] : existing) {
                        c.delete();
                    }
                    continue;
                }
                // "?" binds to no bundle in particular: whichever bundle consumes the PID receives it.
                Configuration configuration = entry.name() == null
                        ? admin.getConfiguration(entry.pid(), "?")
                        : admin.getFactoryConfiguration(entry.pid(), entry.name(), "?");
                Dictionary<String, Object> properties = configuration.getProperties();
                Hashtable<String, Object> merged = new Hashtable<>();
                if (properties != null) {
                    for (String key : Collections.list(properties.keys())) {
                        merged.put(key, properties.get(key));
                    }
                }
                // Config Admin adds these itself; they must not be given back on update.
                merged.remove(Constants.SERVICE_PID);
                merged.remove(ConfigurationAdmin.SERVICE_FACTORYPID);
                merged.remove(ConfigurationAdmin.SERVICE_BUNDLELOCATION);
                merged.putAll(entry.properties());
                entry.removed().forEach(merged::remove);
                configuration.updateIfDifferent(merged);
            }
        } finally {
            context.ungetService(reference);
        }
    }

    /** Waits until the S3 server's {@code HttpServiceRuntime} is registered, i.e. Jetty listens. */
    static boolean awaitHttpRuntime(BundleContext context, String filter, long timeout, TimeUnit unit)
            throws InterruptedException {
        return awaitService(context, "(&(" + Constants.OBJECTCLASS
                + "=org.osgi.service.servlet.runtime.HttpServiceRuntime)" + filter + ")", timeout, unit);
    }

    /** Waits for a service matching {@code filter}, by name: the launcher does not see the bundles' classes. */
    private static boolean awaitService(BundleContext context, String filter, long timeout, TimeUnit unit)
            throws InterruptedException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        tracker.open(true);
        try {
            return tracker.waitForService(unit.toMillis(timeout)) != null;
        } finally {
            tracker.close();
        }
    }

    /**
     * Polls the S3 endpoint until the gateway itself answers (a response carrying {@code x-amz-request-id}; Felix
     * answers 404 until the S3 servlet is registered). The front end configures Jetty for S3 on the first request it
     * serves — exact header values, S3 error documents for what Jetty refuses — so answering this one before the
     * launcher announces the port means clients find it configured.
     */
    static boolean awaitS3Answer(BundleContext context, ListenAddress listen, long timeout, TimeUnit unit)
            throws InterruptedException {
        // a gateway without its config provider answers 503 (and logs it): give the provider a moment to bind first
        awaitService(context, "(" + Constants.OBJECTCLASS + "=io.multistore.api.config.ConfigProvider)", 10,
                TimeUnit.SECONDS);
        String host = listen.host();
        try {
            if (java.net.InetAddress.getByName(host).isAnyLocalAddress()) {
                host = host.indexOf(':') >= 0 ? "::1" : "127.0.0.1";
            }
        } catch (IOException e) {
            return false;
        }
        java.net.URL url;
        try {
            url = new java.net.URI("http", null, host, listen.port(), "/", null, null).toURL();
        } catch (java.net.URISyntaxException | java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            try {
                java.net.HttpURLConnection connection = (java.net.HttpURLConnection) url.openConnection();
                connection.setRequestMethod("GET"); // ListBuckets: anonymous, answered at DEBUG
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(5000);
                boolean gateway = connection.getResponseCode() != 503
                        && connection.getHeaderField("x-amz-request-id") != null;
                connection.disconnect();
                if (gateway) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Blocks until the framework stops, by a signal or from the console. */
    static FrameworkEvent awaitStop(Framework framework) throws InterruptedException {
        return framework.waitForStop(0);
    }
}
