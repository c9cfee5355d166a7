package io.multistore.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * A real server for tests, run as a child process on 127.0.0.1 — S3Proxy, Azurite, fake-gcs-server, dynalite, a
 * database: started on a free port (retried when another process took the port first), awaited until it answers, its
 * output kept in a log file, and stopped with its whole process tree on {@link #close()} or when the JVM exits.
 * <p>
 * Each kind of server is a small class that builds its command line and readiness probe on top of this one (see
 * {@link S3ProxyServer}); tests hold them for a class with {@link ServerExtension}.
 */
public final class ExternalServer implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final Thread shutdownHook;

    private ExternalServer(String name, Process process, int port, Path workDir, boolean ownsWorkDir) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
        this.shutdownHook = new Thread(this::stop, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** @param name names the server in log files, thread names and failures ({@code azurite}) */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String httpEndpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The server's working directory (its files, its configuration, its log). */
    public Path workDir() {
        return workDir;
    }

    /** The file holding the server's standard output and error. */
    public Path logFile() {
        return workDir.resolve(name + ".log");
    }

    /** The server's output so far, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(logFile());
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs stop() again, which is harmless
        }
    }

    private synchronized void stop() {
        ProcessHandle handle = process.toHandle();
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (ownsWorkDir) {
            deleteRecursively(workDir);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temp directory must not fail a test
        }
    }

    /** Readiness probe: the port accepts a TCP connection. */
    public static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Readiness probe: {@code GET path} gets any HTTP answer (a 403 or 404 also means the server is serving). */
    public static boolean answersHttp(int port, String path) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            connection.getResponseCode();
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** How to start one kind of server. */
    public static final class Builder {
        private final String name;
        private IntFunction<List<String>> command;
        private IntPredicate ready;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workDir;
        private int fixedPort;
        private Duration startTimeout = Duration.ofSeconds(60);
        private int attempts = 3;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
            this.ready = ExternalServer::acceptsConnections;
        }

        /** The command line, given the port the server must listen on. */
        public Builder command(IntFunction<List<String>> command) {
            this.command = command;
            return this;
        }

        /** When the server is ready, given its port; default: the port accepts connections. */
        public Builder ready(IntPredicate ready) {
            this.ready = ready;
            return this;
        }

        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /**
         * A fixed port instead of a free one, for a server a test stops and starts again where clients expect it
         * (tried once: another process holding the port fails the start).
         */
        public Builder port(int port) {
            this.fixedPort = port;
            return this;
        }

        /** The working directory; default: a fresh temporary directory, deleted on close. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** How often to try a fresh port when the server does not come up (default 3). */
        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        /**
         * Starts the server and waits until it is ready.
         *
         * @throws IllegalStateException naming the server and quoting its output when it does not come up
         */
        public ExternalServer start() {
            Objects.requireNonNull(command, "command");
            IllegalStateException failure = null;
            for (int attempt = 1; attempt <= (fixedPort > 0 ? 1 : attempts); attempt++) {
                try {
                    return startOnce();
                } catch (IllegalStateException e) {
                    // most likely the port was taken between FreePort.find() and the server binding it
                    failure = e;
                }
            }
            throw failure;
        }

        private ExternalServer startOnce() {
            boolean owns = workDir == null;
            Path dir;
            try {
                dir = owns ? Files.createTempDirectory(name + "-") : Files.createDirectories(workDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int port = fixedPort > 0 ? fixedPort : FreePort.find();
            Path log = dir.resolve(name + ".log");
            Process process;
            try {
                ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command.apply(port)))
                        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                builder.environment().putAll(environment);
                process = builder.start();
            } catch (IOException e) {
                if (owns) {
                    deleteRecursively(dir);
                }
                throw new UncheckedIOException("cannot start " + name, e);
            }
            ExternalServer server = new ExternalServer(name, process, port, dir, owns);
            long deadline = System.nanoTime() + startTimeout.toNanos();
            while (!ready.test(port)) {
                if (!process.isAlive() || System.nanoTime() - deadline >= 0) {
                    String output = server.log();
                    server.close();
                    throw new IllegalStateException(name + " did not come up on port " + port + ":\n" + output);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    server.close();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting " + name, e);
                }
            }
            return server;
        }
    }
}
