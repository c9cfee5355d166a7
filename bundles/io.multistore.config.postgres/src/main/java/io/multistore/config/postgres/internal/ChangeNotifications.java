package io.multistore.config.postgres.internal;

import io.multistore.api.config.ConfigChangeListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dedicated connection that {@code LISTEN}s on the channel the schema's triggers {@code NOTIFY} on, with
 * payloads {@code bucket:NAME}, {@code role:ID} or {@code credential:ACCESS_KEY_ID}, and passes each change on.
 * When the connection breaks it reconnects with a growing pause; notifications sent meanwhile are lost, so after
 * reconnecting it announces that anything may have changed.
 */
final class ChangeNotifications implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeNotifications.class);
    static final Map<String, ConfigChangeListener.Kind> KINDS = Map.of("bucket", ConfigChangeListener.Kind.BUCKET,
            "role", ConfigChangeListener.Kind.ROLE, "credential", ConfigChangeListener.Kind.CREDENTIAL);
    private static final long MAX_PAUSE_MS = 10_000;

    private final DataSource dataSource;
    private final String channel;
    private final String where;
    private final List<ConfigChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean listening;
    private volatile Connection connection;

    ChangeNotifications(DataSource dataSource, String channel, String where) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.where = where;
        this.thread = new Thread(this::run, "multistore-config-postgres-listen");
        thread.setDaemon(true);
        thread.start();
    }

    void add(ConfigChangeListener listener) {
        listeners.add(listener);
    }

    void remove(ConfigChangeListener listener) {
        listeners.remove(listener);
    }

    boolean listening() {
        return listening;
    }

    private void run() {
        long pause = 500;
        boolean lost = false;
        while (!closed) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                connection = c;
                s.execute("LISTEN " + channel);
                listening = true;
                if (lost) {
                    LOG.info("Listening for config changes on {} again", where);
                    announceAll();
                    lost = false;
                }
                pause = 500;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] batch = pg.getNotifications(1000);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            dispatch(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    return;
                }
                if (!lost) {
                    LOG.warn("Lost the config change notifications from {} ({}); changes show within the cache "
                            + "TTL until it reconnects", where, e.getMessage());
                    lost = true;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    return;
                }
                pause = Math.min(pause * 2, MAX_PAUSE_MS);
            } finally {
                connection = null;
                listening = false;
            }
        }
    }

    private void dispatch(String payload) {
        int colon = payload == null ? -1 : payload.indexOf(':');
        ConfigChangeListener.Kind kind = colon < 0 ? null : KINDS.get(payload.substring(0, colon));
        if (kind == null) {
            LOG.debug("Ignoring notification '{}' on {}", payload, channel);
            return;
        }
        String id = payload.substring(colon + 1);
        for (ConfigChangeListener l : listeners) {
            try {
                l.changed(kind, id);
            } catch (RuntimeException e) {
                LOG.error("Config change listener {} failed", l, e);
            }
        }
    }

    private void announceAll() {
        for (ConfigChangeListener.Kind kind : ConfigChangeListener.Kind.values()) {
            for (ConfigChangeListener l : listeners) {
                try {
                    l.changed(kind, null);
                } catch (RuntimeException e) {
                    LOG.error("Config change listener {} failed", l, e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            ConnectionPool.closeQuietly(c);
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
