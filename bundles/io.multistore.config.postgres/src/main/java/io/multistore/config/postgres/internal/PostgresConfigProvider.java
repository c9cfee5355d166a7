package io.multistore.config.postgres.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigChangeListener;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.config.ConfigSource;
import io.multistore.config.records.Json;
import io.multistore.config.records.JsonRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets, roles and credentials from PostgreSQL: tables {@code proxy_buckets(name, config_json)},
 * {@code proxy_roles(role_id, config_json)} and {@code proxy_credentials(access_key_id, config_json)}, each row one
 * JSON record (the schema ships as {@code config/postgres-schema.sql}). Lookups are primary-key queries on a small
 * connection pool. With a notification channel set, a dedicated connection {@code LISTEN}s to it and every change
 * the schema's triggers announce reaches the registered {@link ConfigChangeListener}s (the cache) at once.
 */
@Component(service = ConfigProvider.class, configurationPid = PostgresConfigProvider.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@ConfigSource("postgres")
@Designate(ocd = PostgresConfigProvider.Config.class)
public final class PostgresConfigProvider implements ConfigProvider, AutoCloseable {

    static final String PID = "io.multistore.config.postgres";
    static final String PASSWORD_ENV = "PGPASSWORD";
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static final Logger LOG = LoggerFactory.getLogger(PostgresConfigProvider.class);

    @ObjectClassDefinition(id = PID, name = "Multistore PostgreSQL config provider",
            description = "Buckets, roles and credentials from the PostgreSQL tables proxy_buckets, proxy_roles and "
                    + "proxy_credentials (JSONB records; schema in config/postgres-schema.sql).")
    public @interface Config {

        @AttributeDefinition(name = "JDBC URL", description = "jdbc:postgresql://HOST:PORT/DATABASE, with any "
                + "pgjdbc parameters (e.g. ?sslmode=verify-full).")
        String url();

        @AttributeDefinition(name = "User", required = false, description = "Database user; empty: the URL's.")
        String user() default "";

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
                description = "Database password. Empty: read from the password file, else from the PGPASSWORD "
                        + "environment variable, else none.")
        String password() default "";

        @AttributeDefinition(name = "Password file", required = false, description = "A file holding the "
                + "password (trailing newline ignored), e.g. a mounted secret; used when password is empty.")
        String password__file() default "";

        @AttributeDefinition(name = "Pool size", min = "1",
                description = "Most database connections open at once for lookups.")
        int pool__size() default 4;

        @AttributeDefinition(name = "Timeout (s)", min = "1", description = "Connect, login and query timeout in "
                + "seconds; a lookup that takes longer answers 503 (or is served from the cache).")
        int timeout__seconds() default 5;

        @AttributeDefinition(name = "Notification channel", required = false, description = "Channel to LISTEN on "
                + "for changes announced by the schema's triggers (NOTIFY); empty: no notifications, the cache TTL "
                + "alone decides when changes show.")
        String notify__channel() default "multistore_config";
    }

    /** One record table. */
    private enum Table {
        BUCKETS("proxy_buckets", "name"), ROLES("proxy_roles", "role_id"),
        CREDENTIALS("proxy_credentials", "access_key_id");

        final String lookup;
        final String name;

        Table(String name, String key) {
            this.name = name;
            this.lookup = "SELECT config_json::text FROM " + name + " WHERE " + key + " = ?";
        }
    }

    private final String where;
    private final ConnectionPool pool;
    private final int timeoutSeconds;
    private final ChangeNotifications notifications;

    @Activate
    public PostgresConfigProvider(Config config) {
        this(config.url(), config.user(), password(config), config.pool__size(), config.timeout__seconds(),
                config.notify__channel());
    }

    PostgresConfigProvider(String url, String user, String password, int poolSize, int timeoutSeconds,
            String channel) {
        if (url == null || !url.trim().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must be a jdbc:postgresql:// URL");
        }
        if (poolSize < 1 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("pool_size and timeout_seconds must be at least 1");
        }
        String ch = channel == null ? "" : channel.trim();
        if (!ch.isEmpty() && !CHANNEL.matcher(ch).matches()) {
            throw new IllegalArgumentException("notify_channel must be a lower-case SQL identifier, not '" + ch + "'");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url.trim());
        if (user != null && !user.isBlank()) {
            ds.setUser(user.trim());
        }
        if (password != null && !password.isEmpty()) {
            ds.setPassword(password);
        }
        ds.setConnectTimeout(timeoutSeconds);
        ds.setLoginTimeout(timeoutSeconds);
        ds.setSocketTimeout(timeoutSeconds * 2);
        ds.setApplicationName("multistore");
        this.where = "postgres " + ds.getServerNames()[0] + "/" + ds.getDatabaseName();
        this.timeoutSeconds = timeoutSeconds;
        this.pool = new ConnectionPool(ds, poolSize, timeoutSeconds * 1000L);
        this.notifications = ch.isEmpty() ? null : new ChangeNotifications(ds, ch, where);
        LOG.info("PostgreSQL config provider reads {}{}", where, ch.isEmpty() ? "" : ", listening on " + ch);
    }

    private static String password(Config config) {
        if (!config.password().isEmpty()) {
            return config.password();
        }
        if (!config.password__file().isBlank()) {
            try {
                return Files.readString(Path.of(config.password__file().trim()), StandardCharsets.UTF_8)
                        .stripTrailing();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read password_file " + config.password__file() + ": "
                        + e.getMessage(), e);
            }
        }
        return System.getenv(PASSWORD_ENV);
    }

    @Deactivate
    @Override
    public void close() {
        if (notifications != null) {
            notifications.close();
        }
        pool.close();
    }

    @Override
    public Optional<BucketConfig> bucket(String name) {
        return lookup(Table.BUCKETS, name).flatMap(json -> JsonRecords.bucket(json, record(Table.BUCKETS, name),
                name));
    }

    @Override
    public List<BucketConfig> buckets() {
        List<Object> records = new ArrayList<>();
        query(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT name, config_json::text FROM proxy_buckets ORDER BY name")) {
                s.setQueryTimeout(timeoutSeconds);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        records.add(rs.getString(2));
                    }
                }
            }
            return null;
        });
        List<Object> parsed = new ArrayList<>(records.size());
        for (Object json : records) {
            try {
                parsed.add(Json.parse((String) json).root());
            } catch (Json.SyntaxException e) {
                parsed.add(null); // JSONB is always valid JSON; kept for symmetry with the other stores
            }
        }
        return JsonRecords.buckets(parsed, where + " " + Table.BUCKETS.name);
    }

    @Override
    public Optional<RoleConfig> role(String roleId) {
        return lookup(Table.ROLES, roleId).flatMap(json -> JsonRecords.role(json, record(Table.ROLES, roleId),
                roleId));
    }

    @Override
    public Optional<StoredCredential> credential(String accessKeyId) {
        return lookup(Table.CREDENTIALS, accessKeyId).flatMap(json -> JsonRecords.credential(json,
                record(Table.CREDENTIALS, accessKeyId), accessKeyId));
    }

    @Override
    public void addChangeListener(ConfigChangeListener listener) {
        if (notifications != null) {
            notifications.add(listener);
        }
    }

    @Override
    public void removeChangeListener(ConfigChangeListener listener) {
        if (notifications != null) {
            notifications.remove(listener);
        }
    }

    private String record(Table table, String id) {
        return where + " " + table.name + " \"" + id + "\"";
    }

    private Optional<String> lookup(Table table, String id) {
        if (!JsonRecords.plausibleId(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(query(c -> {
            try (PreparedStatement s = c.prepareStatement(table.lookup)) {
                s.setQueryTimeout(timeoutSeconds);
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }));
    }

    private <T> T query(ConnectionPool.Work<T> work) {
        try {
            return pool.with(work);
        } catch (SQLException e) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, "config database failed: " + where + ": "
                    + e.getMessage(), e);
        }
    }

    /** For tests: whether the LISTEN connection is up. */
    boolean listening() {
        return notifications != null && notifications.listening();
    }
}
