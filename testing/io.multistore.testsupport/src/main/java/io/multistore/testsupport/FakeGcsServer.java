package io.multistore.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Google Cloud Storage API for tests: <a href="https://github.com/fsouza/fake-gcs-server">fake-gcs-server</a>
 * {@value #VERSION} started as a child process on 127.0.0.1 with its in-memory backend, plain HTTP and no
 * authentication.
 * <p>
 * The binary is found, in this order, at the system property {@value #BINARY_PROPERTY}, the environment variable
 * {@code FAKE_GCS_SERVER}, {@code $GOBIN}, {@code $GOPATH/bin} (each path of it), {@code ~/go/bin} and the
 * {@code PATH}. When there is none and the Go toolchain is on the {@code PATH}, it is installed with
 * {@code go install github.com/fsouza/fake-gcs-server@}{@value #VERSION} (a few minutes the first time), as
 * {@code .ci/run} does.
 */
public final class FakeGcsServer implements AutoCloseable {

    public static final String VERSION = "v1.56.1";
    /** System property naming the fake-gcs-server binary. */
    public static final String BINARY_PROPERTY = "fake-gcs-server.binary";
    private static final String BINARY = "fake-gcs-server";

    private final ExternalServer process;

    private FakeGcsServer(ExternalServer process) {
        this.process = process;
    }

    /** Starts fake-gcs-server with an empty in-memory store. */
    public static FakeGcsServer start() {
        String binary = binary().toString();
        ExternalServer server = ExternalServer.builder("fake-gcs-server")
                .command(port -> List.of(binary, "-scheme", "http", "-host", "127.0.0.1", "-port",
                        Integer.toString(port), "-backend", "memory", "-public-host", "127.0.0.1:" + port,
                        "-log-level", "warn"))
                .ready(port -> ExternalServer.answersHttp(port, "/_internal/healthcheck"))
                .start();
        return new FakeGcsServer(server);
    }

    /** The API root, {@code http://127.0.0.1:PORT}: the backend's {@code endpoint}. */
    public String endpoint() {
        return process.httpEndpoint();
    }

    public int port() {
        return process.port();
    }

    public Path logFile() {
        return process.logFile();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Creates a bucket with a fresh unique name and returns the name. */
    public String createBucket() {
        String name = "test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        createBucket(name);
        return name;
    }

    /** Creates a bucket through the JSON API ({@code POST /storage/v1/b}). */
    public void createBucket(String name) {
        int status = request("POST", "/storage/v1/b?project=test", "{\"name\":\"" + name + "\"}");
        if (status != 200) {
            throw new IllegalStateException("creating GCS bucket " + name + " answered HTTP " + status);
        }
    }

    /** Whether a bucket exists. */
    public boolean bucketExists(String name) {
        return request("GET", "/storage/v1/b/" + name, null) == 200;
    }

    /** Names of every object in a bucket, hidden ones included (at most 1000). */
    public String listObjectsJson(String bucket) {
        return requestBody("/storage/v1/b/" + bucket + "/o?maxResults=1000");
    }

    @Override
    public void close() {
        process.close();
    }

    private int request(String method, String path, String json) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(endpoint() + path).toURL().openConnection();
            connection.setRequestMethod(method);
            if (json != null) {
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (in != null) {
                try (in) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " to fake-gcs-server failed", e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private String requestBody(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + path).toURL()
                    .openConnection();
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " to fake-gcs-server failed", e);
        }
    }

    /** The fake-gcs-server binary, installed with {@code go install} when there is none. */
    public static synchronized Path binary() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(BINARY_PROPERTY);
        if (property != null && !property.isBlank()) {
            candidates.add(Paths.get(property));
        }
        String env = System.getenv("FAKE_GCS_SERVER");
        if (env != null && !env.isBlank()) {
            candidates.add(Paths.get(env));
        }
        candidates.addAll(goBinDirectories().stream().map(d -> d.resolve(BINARY)).toList());
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Paths.get(dir, BINARY));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return install();
    }

    private static List<Path> goBinDirectories() {
        List<Path> dirs = new ArrayList<>();
        String gobin = System.getenv("GOBIN");
        if (gobin != null && !gobin.isBlank()) {
            dirs.add(Paths.get(gobin));
        }
        String gopath = System.getenv("GOPATH");
        if (gopath != null && !gopath.isBlank()) {
            for (String dir : gopath.split(File.pathSeparator)) {
                dirs.add(Paths.get(dir, "bin"));
            }
        }
        dirs.add(Paths.get(System.getProperty("user.home"), "go", "bin"));
        return dirs;
    }

    private static Path install() {
        Path log;
        try {
            log = Files.createTempFile("fake-gcs-server-install-", ".log");
            Process go = new ProcessBuilder("go", "install", "github.com/fsouza/fake-gcs-server@" + VERSION)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!go.waitFor(20, TimeUnit.MINUTES)) {
                go.destroyForcibly();
                throw new IllegalStateException("go install of fake-gcs-server took more than 20 minutes");
            }
            if (go.exitValue() != 0) {
                throw new IllegalStateException("go install of fake-gcs-server failed:\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("fake-gcs-server is not installed and the Go toolchain cannot install it"
                    + " (install it: go install github.com/fsouza/fake-gcs-server@" + VERSION + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing fake-gcs-server", e);
        }
        for (Path dir : goBinDirectories()) {
            if (Files.isExecutable(dir.resolve(BINARY))) {
                return dir.resolve(BINARY);
            }
        }
        throw new IllegalStateException("go install reported success but no fake-gcs-server binary was found");
    }
}
