package io.multistore.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dynalite (npm {@code dynalite@4.0.0}, a DynamoDB-compatible server on LevelDB) as a child process on a loopback
 * port, keeping its data in a directory so {@link #stop()} and {@link #restart()} bring it back as it was. The
 * binary is {@code dynalite} on the PATH (CI: {@code npm install -g dynalite@4.0.0}) or the system property
 * {@code dynalite.bin}.
 */
public final class DynaliteServer implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final Path log;
    private Process process;

    private DynaliteServer(Path dataDir, int port) throws IOException {
        this.dataDir = dataDir;
        this.port = port;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        restart();
    }

    public static DynaliteServer start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        return new DynaliteServer(dataDir, FreePort.find());
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public synchronized void restart() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        String bin = System.getProperty("dynalite.bin", "dynalite");
        try {
            process = new ProcessBuilder(List.of(bin, "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0",
                    "--path", dataDir.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run dynalite (" + bin + "); install it with npm install -g dynalite@4.0.0 "
                    + "or set -Ddynalite.bin", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("dynalite exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
        throw new IOException("dynalite did not listen on " + port + ": " + Files.readString(log));
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
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
