package io.multistore.config.file.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.config.ConfigStatus;
import io.multistore.api.config.ConfigSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets, roles and credentials from multistore's {@code config.toml}, plus an optional STS file whose
 * {@code [[roles]]} and {@code [[credentials]]} are added to the main file's.
 * <p>
 * The files are validated when the component activates: a file that can't be read or isn't valid makes activation
 * fail with every problem listed ({@code file:line: what}), so SCR logs it and nothing is served from a half-read
 * configuration. Afterwards the files are polled; a change that parses is swapped in whole, a change that doesn't is
 * logged and the previous configuration stays in force.
 * <p>
 * Polling compares file contents rather than modification times: config files are small, and content comparison
 * also catches edits within the timestamp granularity, editors that restore timestamps, and Kubernetes ConfigMap
 * updates (a symlink swap that leaves the visible file's timestamp alone), where a {@code WatchService} sees nothing.
 */
// immediate: validate (and start watching) as soon as the configuration arrives, not at the first lookup, so an
// invalid file fails activation at once and no service stands for it
@Component(service = ConfigProvider.class, configurationPid = FileConfigProvider.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@ConfigSource("file")
@Designate(ocd = FileConfigProvider.Config.class)
public final class FileConfigProvider implements ConfigProvider, AutoCloseable {

    static final String PID = "io.multistore.config.file";

    @ObjectClassDefinition(id = PID, name = "Multistore configuration file",
            description = "Buckets, roles and credentials from multistore's config.toml (and an optional STS file), "
                    + "reloaded when the files change.")
    public @interface Config {

        @AttributeDefinition(name = "Configuration file",
                description = "Path of the config.toml with [[buckets]], [[roles]] and [[credentials]] (a name "
                        + "ending in .json is read as JSON with the same schema); relative paths are resolved "
                        + "against the server's working directory.")
        String path();

        @AttributeDefinition(name = "STS configuration file", required = false,
                description = "Optional path of a separate TOML file with more [[roles]] and [[credentials]] "
                        + "(the --sts-config flag). They are added to those of the main file; an id defined in "
                        + "both files is an error.")
        String sts__path() default "";

        @AttributeDefinition(name = "Reload interval (ms)", min = "0",
                description = "How often the files are checked for changes, in milliseconds; 0 turns reloading "
                        + "off. A change that does not parse is logged and the previous configuration is kept.")
        long reload__interval__ms() default 2000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileConfigProvider.class);

    private final Path path;
    private final Path stsPath;
    private final ScheduledExecutorService watcher;
    private volatile ConfigSnapshot snapshot;
    /** For operators' views: the last load and the last failure (a message of file:line problems, no value). */
    private volatile ConfigStatus status;

    // poll state, touched only by the watcher thread after construction
    private byte[] lastMain;
    private byte[] lastSts;
    private String lastReadError;

    @Activate
    public FileConfigProvider(Config config) {
        this(Path.of(required(config.path())), optionalPath(config.sts__path()), config.reload__interval__ms());
    }

    /**
     * @param stsPath          {@code null} for none
     * @param reloadIntervalMs 0 to never reload
     * @throws ConfigFileException if a file can't be read or isn't a valid configuration
     */
    FileConfigProvider(Path path, Path stsPath, long reloadIntervalMs) {
        if (reloadIntervalMs < 0) {
            throw new IllegalArgumentException("reload_interval_ms must be 0 (off) or positive, not "
                    + reloadIntervalMs);
        }
        this.path = path.toAbsolutePath().normalize();
        this.stsPath = stsPath == null ? null : stsPath.toAbsolutePath().normalize();
        byte[] main = read(this.path);
        byte[] sts = this.stsPath == null ? null : read(this.stsPath);
        this.snapshot = parse(main, sts);
        this.lastMain = main;
        this.lastSts = sts;
        logWarnings(snapshot);
        this.status = new ConfigStatus(Instant.now(), snapshot.toString(), null, null);
        LOG.info("Loaded {}{}: {}", this.path, this.stsPath == null ? "" : " and " + this.stsPath, snapshot);
        if (reloadIntervalMs > 0) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "multistore-config-file-watcher");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::poll, reloadIntervalMs, reloadIntervalMs, TimeUnit.MILLISECONDS);
        } else {
            watcher = null;
        }
    }

    @Deactivate
    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            try {
                // let a poll in progress finish before the bundle's classes may go away
                watcher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Optional<BucketConfig> bucket(String name) {
        return Optional.ofNullable(snapshot.buckets().get(name));
    }

    @Override
    public List<BucketConfig> buckets() {
        return snapshot.bucketList();
    }

    @Override
    public Optional<RoleConfig> role(String roleId) {
        return Optional.ofNullable(snapshot.roles().get(roleId));
    }

    @Override
    public Optional<StoredCredential> credential(String accessKeyId) {
        return Optional.ofNullable(snapshot.credentials().get(accessKeyId));
    }

    @Override
    public List<RoleConfig> roles() {
        return List.copyOf(snapshot.roles().values());
    }

    @Override
    public List<StoredCredential> credentials() {
        return List.copyOf(snapshot.credentials().values());
    }

    @Override
    public Optional<ConfigStatus> status() {
        return Optional.of(status);
    }

    private void failed(String message) {
        ConfigStatus s = status;
        status = new ConfigStatus(s.loaded(), s.summary(), Instant.now(), message);
    }

    /** Whether the files are being watched (false once deactivated, or with reloading off). */
    boolean watching() {
        return watcher != null && !watcher.isTerminated();
    }

    /** The configuration in force. */
    ConfigSnapshot snapshot() {
        return snapshot;
    }

    /** One check for changes; runs on the watcher thread (and directly in tests). */
    void poll() {
        try {
            byte[] main;
            byte[] sts;
            try {
                main = read(path);
                sts = stsPath == null ? null : read(stsPath);
            } catch (ConfigFileException e) {
                // editors save by rename, so a file may briefly vanish: say so once, not on every poll
                if (!e.getMessage().equals(lastReadError)) {
                    failed(e.getMessage());
                    LOG.error("{}; keeping the configuration loaded before", e.getMessage());
                    lastReadError = e.getMessage();
                }
                return;
            }
            if (lastReadError != null) {
                LOG.info("Configuration files are readable again");
                lastReadError = null;
            }
            if (Arrays.equals(main, lastMain) && Arrays.equals(sts, lastSts)) {
                return;
            }
            // remembered whether it parses or not, so a broken file is reported once, not on every poll
            lastMain = main;
            lastSts = sts;
            ConfigSnapshot next;
            try {
                next = parse(main, sts);
            } catch (ConfigFileException e) {
                failed(e.getMessage());
                LOG.error("{}\nKeeping the configuration loaded before ({}).", e.getMessage(), snapshot);
                return;
            }
            logWarnings(next);
            snapshot = next;
            status = new ConfigStatus(Instant.now(), next.toString(), status.failed(), status.failure());
            LOG.info("Reloaded {}{}: {}", path, stsPath == null ? "" : " and " + stsPath, next);
        } catch (RuntimeException e) {
            // an exception would cancel the scheduled task: reloading must survive anything
            LOG.error("Checking the configuration files for changes failed", e);
        }
    }

    private ConfigSnapshot parse(byte[] main, byte[] sts) {
        return ConfigParser.parse(new ConfigParser.Source(path.toString(), new String(main, StandardCharsets.UTF_8)),
                sts == null ? null : new ConfigParser.Source(stsPath.toString(), new String(sts, StandardCharsets.UTF_8)));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(List.of(file + ": file not found"));
        } catch (IOException e) {
            throw new ConfigFileException(List.of(file + ": cannot read the file: " + e));
        }
    }

    private static void logWarnings(ConfigSnapshot s) {
        for (String warning : s.warnings()) {
            LOG.warn("{}", warning);
        }
    }

    private static String required(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path is required: the config.toml to load");
        }
        return path.trim();
    }

    private static Path optionalPath(String path) {
        return path == null || path.isBlank() ? null : Path.of(path.trim());
    }
}
