package io.multistore.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * dynalite (npm {@code dynalite@4.0.0}, a DynamoDB-compatible server on LevelDB) as a child process on a loopback
 * port, keeping its data in a directory so {@link #stop()} and {@link #restart()} bring it back as it was, on the
 * same port. The binary is {@code dynalite} on the PATH (CI: {@code npm install -g dynalite@4.0.0}) or the system
 * property {@code dynalite.bin}.
 */
public final class DynaliteServer implements AutoCloseable {

    private final ExternalServer.Builder builder;
    private final int port;
    private final Path log;
    private ExternalServer server;

    private DynaliteServer(Path dataDir, int port) throws IOException {
        this.port = port;
        String bin = System.getProperty("dynalite.bin", "dynalite");
        Path workDir = dataDir.toAbsolutePath().getParent();
        this.log = workDir.resolve("dynalite.log");
        this.builder = ExternalServer.builder("dynalite").workDir(workDir).port(port)
                .startTimeout(java.time.Duration.ofSeconds(20))
                .command(p -> List.of(bin, "--host", "127.0.0.1", "--port", Integer.toString(p), "--createTableMs",
                        "0", "--deleteTableMs", "0", "--updateTableMs", "0", "--path", dataDir.toString()));
        restart();
    }

    public static DynaliteServer start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        return new DynaliteServer(dataDir, FreePort.find());
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Starts it again after {@link #stop()}; nothing happens while it runs. */
    public synchronized void restart() throws IOException {
        if (server != null && server.isAlive()) {
            return;
        }
        try {
            server = builder.start();
        } catch (java.io.UncheckedIOException e) {
            throw new IOException("cannot run dynalite; install it with npm install -g dynalite@4.0.0 or set "
                    + "-Ddynalite.bin", e);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** For messages. */
    public File logFile() {
        return log.toFile();
    }
}
