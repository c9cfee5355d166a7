package io.multistore.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of {@code bin/multistore-server}: the flags of the Rust {@code multistore-server} plus
 * {@code --admin-listen}. Both {@code --flag value} and {@code --flag=value} are accepted; a flag given twice, an
 * unknown flag or a stray argument is an error, as it is for the original.
 *
 * @param source what {@code --config} names: a file, or a network store's URL
 * @param listen the S3 endpoint
 * @param domain domain for virtual-hosted-style requests
 * @param stsConfig absolute path of the optional STS TOML file
 * @param adminListen the admin server (Web Console, health, metrics)
 * @param configCacheTtl seconds the config cache keeps a network store's records ({@code --config-cache-ttl})
 */
public record CommandLine(ConfigSource source, ListenAddress listen, Optional<String> domain,
        Optional<Path> stsConfig, ListenAddress adminListen, long configCacheTtl) {

    public static final long DEFAULT_CONFIG_CACHE_TTL = 60;

    /** A command line with a configuration file. */
    public CommandLine(Path config, ListenAddress listen, Optional<String> domain, Optional<Path> stsConfig,
            ListenAddress adminListen) {
        this(new ConfigSource.File(config), listen, domain, stsConfig, adminListen, DEFAULT_CONFIG_CACHE_TTL);
    }

    /** The configuration file, when {@code --config} names one. */
    public Optional<Path> configFile() {
        return source instanceof ConfigSource.File f ? Optional.of(f.path()) : Optional.empty();
    }

    public static final ListenAddress DEFAULT_LISTEN = new ListenAddress("0.0.0.0", 8080);
    public static final ListenAddress DEFAULT_ADMIN_LISTEN = new ListenAddress("127.0.0.1", 8081);

    static final String USAGE = """
            Usage: multistore-server --config PATH|URL [OPTIONS]
                   multistore-server import --config PATH --to TARGET   (import --help: load a config.toml
                                                                         into a config store)

            An S3-compatible gateway on Apache Felix.

            Options:
              --config PATH|URL         The config.toml (or config.json) file, or the URL of a config store
                                        (required):
                                          http(s)://HOST/BASE   HTTP control plane (GET /buckets, ...);
                                                                Authorization from MULTISTORE_CONFIG_AUTHORIZATION
                                          dynamodb://TABLE?region=REGION&endpoint=URL
                                                                DynamoDB table; AWS credentials from the default chain
                                          postgresql://USER@HOST:PORT/DB?password_file=PATH
                                                                PostgreSQL (config/postgres-schema.sql); password
                                                                from password_file or PGPASSWORD, never the URL
              --config-cache-ttl SECONDS
                                        How long records of a config store are cached; changes show within it
                                        (PostgreSQL announces them at once) [default: 60]
              --listen ADDR:PORT        Address and port of the S3 endpoint [default: 0.0.0.0:8080]
                                        (also [::1]:8080, or :8080 for all interfaces)
              --domain DOMAIN           Domain for virtual-hosted-style requests (e.g. s3.example.com);
                                        without it only path-style requests (/bucket/key) are served
              --sts-config PATH         Optional separate TOML file for STS roles/credentials
              --admin-listen ADDR:PORT  Address and port of the admin server (Web Console at /system/console)
                                        [default: 127.0.0.1:8081]
              -h, --help                Print this help
            Every flag also accepts the --flag=value form.

            Environment:
              SESSION_TOKEN_KEY          Base64-encoded 32-byte AES-256-GCM key for sealed STS tokens
                                         (openssl rand -base64 32)
              SESSION_TOKEN_KEY_PREVIOUS The key before the last rotation: session tokens sealed with it
                                         are still accepted, new ones use SESSION_TOKEN_KEY
              OIDC_PROVIDER_KEY          PEM-encoded RSA private key, for OIDC backend auth
              OIDC_PROVIDER_ISSUER       Publicly reachable URL for JWKS discovery, for OIDC backend auth
              OIDC_PROVIDER_KEY_PREVIOUS PEM keys from before a rotation: published in the JWKS, never signing
              RUST_LOG                   Log levels, Rust style [default: multistore=info]
                                         (e.g. info, multistore=debug,warn; multistore means io.multistore)
              MULTISTORE_CONFIG_AUTHORIZATION
                                         Authorization header for an http(s):// --config (e.g. Bearer TOKEN)
              PGPASSWORD                 Password for a postgresql:// --config without password_file
              MULTISTORE_LOG_LEVEL       Log levels, Java style, applied after RUST_LOG
                                         (e.g. debug, io.multistore=debug,org.eclipse.jetty=info)
              MULTISTORE_ADMIN_USER      Web Console user [default: admin]
              MULTISTORE_ADMIN_PASSWORD  Web Console password [default: generated at first start, printed
                                         once and kept in DATA_DIR/webconsole.password]
              MULTISTORE_DATA_DIR        Persistent state: configurations, console password [default: HOME/data]
              MULTISTORE_CACHE_DIR       Felix bundle cache, emptied at every start [default: HOME/cache]
              JAVA_HOME, JAVA_OPTS       The Java runtime and its options (read by bin/multistore-server)
            """;

    /**
     * Parses the arguments; relative paths are resolved against {@code cwd}.
     *
     * @return the options, or empty when help was asked for
     */
    public static Optional<CommandLine> parse(List<String> args, Path cwd) throws UsageException {
        String config = null;
        String listen = null;
        String domain = null;
        String sts = null;
        String admin = null;
        String ttl = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                return Optional.empty();
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'", true);
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg;
                value = null;
            }
            if (!Set.of("--config", "--listen", "--domain", "--sts-config", "--admin-listen",
                    "--config-cache-ttl").contains(name)) {
                throw new UsageException("unknown option '" + name + "'", true);
            }
            if (value == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException("option '" + name + "' needs a value", true);
                }
                value = args.get(++i);
            }
            if (value.isEmpty()) {
                throw new UsageException("option '" + name + "' needs a non-empty value", true);
            }
            if (!seen.add(name)) {
                throw new UsageException("option '" + name + "' cannot be used multiple times", true);
            }
            switch (name) {
                case "--config" -> config = value;
                case "--listen" -> listen = value;
                case "--domain" -> domain = value;
                case "--sts-config" -> sts = value;
                case "--config-cache-ttl" -> ttl = value;
                default -> admin = value;
            }
        }
        if (config == null) {
            throw new UsageException("the option '--config PATH' is required", true);
        }
        ConfigSource source = ConfigSource.parse(config, cwd);
        if (sts != null && !(source instanceof ConfigSource.File)) {
            throw new UsageException("--sts-config goes with a configuration file; a config store holds the roles "
                    + "and credentials itself", true);
        }
        return Optional.of(new CommandLine(
                source,
                address("--listen", listen, DEFAULT_LISTEN),
                Optional.ofNullable(domain),
                sts == null ? Optional.empty() : Optional.of(readableFile("--sts-config", sts, cwd)),
                address("--admin-listen", admin, DEFAULT_ADMIN_LISTEN),
                seconds("--config-cache-ttl", ttl, DEFAULT_CONFIG_CACHE_TTL)));
    }

    private static long seconds(String flag, String value, long fallback) throws UsageException {
        if (value == null) {
            return fallback;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + ": expected a number of seconds (0 or more), got '" + value + "'", true);
    }

    private static Path readableFile(String flag, String value, Path cwd) throws UsageException {
        Path path = cwd.resolve(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new UsageException(flag + ": cannot read file '" + path + "'", true);
        }
        return path;
    }

    private static ListenAddress address(String flag, String value, ListenAddress fallback) throws UsageException {
        if (value == null) {
            return fallback;
        }
        try {
            return ListenAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + ": " + e.getMessage(), true);
        }
    }
}
