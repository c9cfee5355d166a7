package io.multistore.config.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A small bounded pool of JDBC connections: at most {@code size} open at once, callers wait up to a timeout for
 * one, idle connections are checked before reuse, and a connection that failed is closed instead of returned. The
 * provider runs a handful of primary-key lookups (its cache sits in front), so this is all the pooling it needs;
 * a general-purpose pool (HikariCP) would add a bundle whose SLF4J import range excludes SLF4J 2.
 */
final class ConnectionPool implements AutoCloseable {

    /** Connections idle longer than this are validated before use. */
    private static final long VALIDATE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Idle(Connection connection, long since) {
    }

    private final DataSource dataSource;
    private final Semaphore permits;
    private final BlockingQueue<Idle> idle;
    private final long waitMillis;
    private volatile boolean closed;

    ConnectionPool(DataSource dataSource, int size, long waitMillis) {
        this.dataSource = dataSource;
        this.permits = new Semaphore(size, true);
        this.idle = new ArrayBlockingQueue<>(size);
        this.waitMillis = waitMillis;
    }

    /** Work done with one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection; one that throws {@link SQLException} is discarded. */
    <T> T with(Work<T> work) throws SQLException {
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("no database connection free within " + waitMillis
                        + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted waiting for a database connection", e);
        }
        Connection connection = null;
        try {
            connection = take();
            T result = work.run(connection);
            release(connection);
            connection = null;
            return result;
        } finally {
            if (connection != null) {
                closeQuietly(connection);
            }
            permits.release();
        }
    }

    private Connection take() throws SQLException {
        for (Idle i; (i = idle.poll()) != null;) {
            if (System.nanoTime() - i.since() < VALIDATE_AFTER_NANOS || i.connection().isValid(2)) {
                return i.connection();
            }
            closeQuietly(i.connection());
        }
        return dataSource.getConnection();
    }

    private void release(Connection connection) {
        if (closed || !idle.offer(new Idle(connection, System.nanoTime()))) {
            closeQuietly(connection);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Idle i; (i = idle.poll()) != null;) {
            closeQuietly(i.connection());
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a broken connection may fail too; nothing to do about it
        }
    }
}
