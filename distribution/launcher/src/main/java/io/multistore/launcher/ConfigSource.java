package io.multistore.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code --config} names: a file (the file provider, as the Rust server) or the URL of a network store, which
 * the launcher turns into that provider's configuration with the config cache in front.
 * <ul>
 * <li>{@code http://…}, {@code https://…}: the control plane's base URL. The {@code Authorization} header comes
 * from the environment ({@code MULTISTORE_CONFIG_AUTHORIZATION}), never from the command line.</li>
 * <li>{@code dynamodb://TABLE?region=R&endpoint=URL}: credentials from the default AWS chain.</li>
 * <li>{@code postgresql://USER@HOST:PORT/DB?PARAMS} (or {@code postgres://}): the password from
 * {@code password_file=PATH} in the query or the {@code PGPASSWORD} environment variable; a password in the URL
 * is refused, so it never shows in a process listing.</li>
 * </ul>
 */
public sealed interface ConfigSource {

    /** {@code --config PATH}. */
    record File(Path path) implements ConfigSource {
    }

    /**
     * {@code --config URL}.
     *
     * @param source     the provider's {@code multistore.config.source} value
     * @param pid        the provider's configuration PID
     * @param properties what the launcher writes into it
     * @param display    the URL for messages (no secrets: URLs carrying one are refused)
     */
    record Network(String source, String pid, Map<String, Object> properties, String display)
            implements ConfigSource {
        public Network {
            properties = Map.copyOf(properties);
        }
    }

    /** Reads {@code --config}: a URL when it has one of the known schemes, else a path resolved against cwd. */
    static ConfigSource parse(String value, Path cwd) throws UsageException {
        int colon = value.indexOf("://");
        String scheme = colon > 0 ? value.substring(0, colon).toLowerCase(java.util.Locale.ROOT) : "";
        switch (scheme) {
            case "http", "https" -> {
                URI uri = uri(value);
                if (uri.getRawUserInfo() != null) {
                    throw new UsageException("--config: put no credentials in the URL; set "
                            + "MULTISTORE_CONFIG_AUTHORIZATION to the Authorization header value instead", true);
                }
                return new Network("http", "io.multistore.config.http", Map.of("base_url", value), value);
            }
            case "dynamodb" -> {
                URI uri = uri(value);
                String table = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
                if (table == null || table.isBlank()) {
                    throw new UsageException("--config: dynamodb://TABLE?region=REGION&endpoint=URL needs a table",
                            true);
                }
                Map<String, String> query = query(uri, Set.of("region", "endpoint"));
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("table", table);
                p.put("region", query.getOrDefault("region", "us-east-1"));
                p.put("endpoint", query.getOrDefault("endpoint", ""));
                return new Network("dynamodb", "io.multistore.config.dynamodb", p, value);
            }
            case "postgresql", "postgres" -> {
                URI uri = uri(value);
                String user = uri.getRawUserInfo();
                if (user != null && user.contains(":")) {
                    throw new UsageException("--config: no password in the URL (it would show in process listings);"
                            + " use ?password_file=PATH or the PGPASSWORD environment variable", true);
                }
                if (uri.getHost() == null) {
                    throw new UsageException("--config: postgresql://USER@HOST:PORT/DATABASE needs a host", true);
                }
                Map<String, Object> p = new LinkedHashMap<>();
                StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost())
                        .append(uri.getPort() > 0 ? ":" + uri.getPort() : "")
                        .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
                String passwordFile = "";
                String separator = "?";
                if (uri.getRawQuery() != null) {
                    for (String pair : uri.getRawQuery().split("&")) {
                        if (pair.startsWith("password_file=")) {
                            passwordFile = decode(pair.substring("password_file=".length()));
                        } else if (pair.startsWith("password=")) {
                            throw new UsageException("--config: no password in the URL; use ?password_file=PATH or "
                                    + "PGPASSWORD", true);
                        } else if (!pair.isEmpty()) {
                            jdbc.append(separator).append(pair);
                            separator = "&";
                        }
                    }
                }
                if (!passwordFile.isEmpty()) {
                    Path file = cwd.resolve(passwordFile).toAbsolutePath().normalize();
                    if (!Files.isReadable(file)) {
                        throw new UsageException("--config: cannot read password_file '" + file + "'", true);
                    }
                    passwordFile = file.toString();
                }
                p.put("url", jdbc.toString());
                p.put("user", user == null ? "" : decode(user));
                p.put("password_file", passwordFile);
                return new Network("postgres", "io.multistore.config.postgres", p, value);
            }
            default -> {
                Path path = cwd.resolve(value).toAbsolutePath().normalize();
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    throw new UsageException("--config: cannot read file '" + path + "'", true);
                }
                return new File(path);
            }
        }
    }

    private static URI uri(String value) throws UsageException {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new UsageException("--config: not a valid URL: " + e.getReason(), true);
        }
    }

    private static Map<String, String> query(URI uri, Set<String> known) throws UsageException {
        Map<String, String> result = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return result;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!known.contains(name)) {
                throw new UsageException("--config: unknown parameter '" + name + "' (known: " + known + ")", true);
            }
            result.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return result;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
