package io.multistore.itests.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import io.multistore.testsupport.Await;
import io.multistore.testsupport.ExternalServer;

/**
 * The assembled distribution, run as operators run it: a private copy of {@code multistore-server/} started through
 * {@code bin/multistore-server} in its own JVM, with its log in a file.
 */
public final class MultistoreServer implements AutoCloseable {
    public static final String ADMIN_USER = "admin-e2e";
    public static final String ADMIN_PASSWORD = "e2e-" + Long.toHexString(System.nanoTime());

    private final Path home;
    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path log;

    private MultistoreServer(Path home, Process process, int port, int adminPort, Path log) {
        this.home = home;
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /** A private copy of the built distribution, so a test may change its bundles and deploy/ folder. */
    public static Path copyDistribution(Path target, Predicate<Path> include) throws IOException {
        Path source = Path.of(System.getProperty("multistore.home", "../distribution/target/multistore-server"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(source.resolve("bin/multistore-server"))) {
            throw new IllegalStateException("The distribution is not built: " + source);
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // state of earlier runs (framework cache, Config Admin storage, data) is not part of the product
                Path relative = source.relativize(dir);
                if (relative.getNameCount() == 1 && Set.of("cache", "data", "logs").contains(relative.toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (include.test(source.relativize(file))) {
                    Files.copy(file, target.resolve(source.relativize(file).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return target;
    }

    /**
     * Starts {@code bin/multistore-server} from {@code home} and waits until the S3 port accepts connections.
     *
     * @param extraArgs further CLI flags ({@code --domain}, {@code --sts-config})
     * @param env       extra environment ({@code JAVA_OPTS}, {@code RUST_LOG})
     */
    public static MultistoreServer start(Path home, Path config, List<String> extraArgs, Map<String, String> env)
            throws IOException {
        return start(home, config.toString(), extraArgs, env);
    }

    /** As {@link #start(Path, Path, List, Map)} with {@code --config} given as is: a path or a config store URL. */
    public static MultistoreServer start(Path home, String config, List<String> extraArgs, Map<String, String> env)
            throws IOException {
        return start(home, config, extraArgs, env, freePort());
    }

    /** As {@link #start(Path, String, List, Map)} on a given S3 port (for settings that name it, like an issuer URL). */
    public static MultistoreServer start(Path home, String config, List<String> extraArgs, Map<String, String> env,
            int port) throws IOException {
        int adminPort = freePort();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/multistore-server").toString(),
                "--config", config, "--listen", "127.0.0.1:" + port,
                "--admin-listen", "127.0.0.1:" + adminPort));
        command.addAll(extraArgs);
        Path log = home.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MULTISTORE_ADMIN_USER", ADMIN_USER);
        builder.environment().put("MULTISTORE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().putIfAbsent("RUST_LOG", "multistore=info");
        // -Dmultistore.java.home=/path/to/jdk runs the server on another Java than the tests (e.g. 21 or 25)
        String javaHome = System.getProperty("multistore.java.home", "");
        if (!javaHome.isBlank()) {
            builder.environment().put("JAVA_HOME", javaHome);
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        MultistoreServer server = new MultistoreServer(home, process, port, adminPort, log);
        server.awaitPort(Duration.ofSeconds(60));
        return server;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public URI adminEndpoint() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    public Path home() {
        return home;
    }

    public Path deployDir() {
        return home.resolve("deploy");
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPort(Duration timeout) {
        await("port " + port + " to accept connections", timeout, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("multistore-server exited with " + process.exitValue() + ":\n"
                        + log());
            }
            return ExternalServer.acceptsConnections(port);
        });
    }

    /** A condition that throws checked exceptions, for {@link #await}. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls until {@code condition} holds; a timeout fails with the server's log. */
    public void await(String what, Duration timeout, Condition condition) {
        try {
            Await.waitFor(timeout, () -> {
                try {
                    return condition.holds();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; server log:\n" + log(), e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
