package io.multistore.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.launch.Framework;

/**
 * Entry point of {@code bin/multistore-server}. Exit codes: 0 after a clean stop, 1 when the server fails to start,
 * 2 for a bad command line or environment (as the Rust server's argument parser does).
 */
public final class Main {

    /** System property set by {@code bin/multistore-server}: the install directory. */
    public static final String HOME_PROPERTY = "multistore.home";
    public static final String DATA_ENV = "MULTISTORE_DATA_DIR";
    public static final String CACHE_ENV = "MULTISTORE_CACHE_DIR";
    public static final String JAVA_LOG_ENV = "MULTISTORE_LOG_LEVEL";
    public static final String RUST_LOG_ENV = "RUST_LOG";

    private static volatile boolean stopping;
    /** java.util.logging keeps loggers weakly: the configured one must stay referenced. */
    private static java.util.logging.Logger spiFlyLog;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        // On SIGTERM/SIGINT the JVM is already exiting through the shutdown hook; System.exit would block.
        if (!stopping) {
            System.exit(code);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cli;
        try {
            Optional<CommandLine> parsed = CommandLine.parse(Arrays.asList(args), Path.of("").toAbsolutePath());
            if (parsed.isEmpty()) {
                out.print(CommandLine.USAGE);
                return 0;
            }
            cli = parsed.get();
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(CommandLine.USAGE);
            return 2;
        }
        try {
            Framework framework = start(cli, env, out, err);
            FelixLauncher.awaitStop(framework);
            return 0;
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            err.println("error: multistore-server failed to start: " + e.getMessage());
            e.printStackTrace(err);
            return 1;
        }
    }

    private static Framework start(CommandLine cli, Map<String, String> env, PrintStream out, PrintStream err)
            throws Exception {
        Map<String, String> secrets = ServerEnvironment.frameworkProperties(env);
        Path home = home();
        Path dataDir = directory(env.get(DATA_ENV), home.resolve("data"));
        Path cacheDir = directory(env.get(CACHE_ENV), home.resolve("cache"));

        configureLogging(home, env, err);

        FelixLauncher.checkBindable(cli.listen(), "--listen");
        FelixLauncher.checkBindable(cli.adminListen(), "--admin-listen");
        AdminCredentials admin = AdminCredentials.resolve(env, dataDir, err);

        FelixLauncher launcher = new FelixLauncher(home, dataDir, cacheDir, err);
        Map<String, Object> properties = new HashMap<>(launcher.frameworkProperties());
        properties.putAll(secrets);
        // Console defaults until its configuration arrives: never the built-in admin/admin, not even briefly.
        properties.put("felix.webconsole.username", admin.username());
        properties.put("felix.webconsole.password", admin.passwordHash());

        List<LauncherConfigurations.Entry> configurations = LauncherConfigurations.from(cli, admin, secrets);
        Framework framework = launcher.start(properties, configurations);
        GracefulStop graceful = GracefulStop.from(properties, err);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            graceful.stop(framework);
        }, "multistore-shutdown"));

        // Announce only what answers: both Jetty servers have registered their HttpServiceRuntime, and the gateway
        // itself answered on the S3 port (which also lets the front end configure Jetty before any client comes).
        if (FelixLauncher.awaitHttpRuntime(framework.getBundleContext(), LauncherConfigurations.S3_RUNTIME_FILTER,
                60, TimeUnit.SECONDS)
                && FelixLauncher.awaitHttpRuntime(framework.getBundleContext(),
                        LauncherConfigurations.ADMIN_RUNTIME_FILTER, 60, TimeUnit.SECONDS)
                && FelixLauncher.awaitS3Answer(framework.getBundleContext(), cli.listen(), 60, TimeUnit.SECONDS)) {
            out.println("multistore-server listening on http://" + cli.listen() + " (admin http://"
                    + cli.adminListen() + ")");
            out.flush();
        } else {
            err.println("WARN [launcher] the S3 endpoint " + cli.listen() + " or the admin endpoint "
                    + cli.adminListen() + " is not up after 60 s; see the log above");
        }
        return framework;
    }

    /**
     * slf4j-simple reads its configuration from system properties when the first logger is created, which happens
     * inside the framework: so they are set here, before it starts. Order: {@code etc/logging.properties}, then
     * RUST_LOG, then MULTISTORE_LOG_LEVEL; a {@code -D} given in JAVA_OPTS wins over all of them.
     */
    static void configureLogging(Path home, Map<String, String> env, PrintStream err) throws IOException {
        Map<String, String> settings = new HashMap<>();
        Path file = home.resolve("etc/logging.properties");
        if (Files.isRegularFile(file)) {
            Properties defaults = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                defaults.load(in);
            }
            defaults.stringPropertyNames().forEach(name -> settings.put(name, defaults.getProperty(name)));
        }
        LogLevels levels = LogLevels.fromEnvironment(env.get(RUST_LOG_ENV), env.get(JAVA_LOG_ENV));
        levels.warnings().forEach(warning -> err.println("WARN [launcher] " + warning));
        settings.putAll(levels.properties());
        settings.forEach((name, value) -> {
            if (System.getProperty(name) == null) {
                System.setProperty(name, value);
            }
        });
        // SPI Fly logs each provider it wires through java.util.logging at INFO: noise unless debugging.
        String level = System.getProperty(LogLevels.DEFAULT_LEVEL, "info");
        spiFlyLog = java.util.logging.Logger.getLogger("org.apache.aries.spifly");
        spiFlyLog.setLevel(level.equals("debug") || level.equals("trace")
                ? java.util.logging.Level.ALL : java.util.logging.Level.WARNING);
    }

    private static Path home() throws URISyntaxException {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        // lib/io.multistore.launcher-*.jar -> the install directory
        Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent().toAbsolutePath().normalize();
    }

    private static Path directory(String configured, Path fallback) throws IOException {
        Path dir = configured == null || configured.isBlank() ? fallback : Path.of(configured).toAbsolutePath();
        Files.createDirectories(dir);
        return dir.normalize();
    }
}
