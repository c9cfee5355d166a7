package io.multistore.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * moto's server ({@code pip install "moto[server]"}, {@code moto_server}) as a child process on a loopback port: an
 * S3 with object versions, delete markers and tags, which S3Proxy's blob stores lack. It keeps everything in memory
 * and accepts any credentials. The binary is {@code moto_server} on the PATH or the system property
 * {@value #BIN_PROPERTY}.
 */
public final class MotoServer implements AutoCloseable {

    /** System property naming the {@code moto_server} executable. */
    public static final String BIN_PROPERTY = "moto.bin";
    /** moto accepts any key pair; clients still have to sign with one. */
    public static final String ACCESS_KEY = "moto-access-key";
    public static final String SECRET_KEY = "moto-secret-key";

    private final ExternalServer process;

    private MotoServer(ExternalServer process) {
        this.process = process;
    }

    public static MotoServer start() {
        String bin = System.getProperty(BIN_PROPERTY, "moto_server");
        try {
            return new MotoServer(ExternalServer.builder("moto")
                    .startTimeout(java.time.Duration.ofSeconds(60))
                    .command(port -> List.of(bin, "-H", "127.0.0.1", "-p", Integer.toString(port)))
                    .ready(port -> ExternalServer.answersHttp(port, "/moto-api/"))
                    .start());
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot run moto_server; install it with pip install \"moto[server]\" "
                    + "or set -D" + BIN_PROPERTY, e);
        }
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return process.httpEndpoint();
    }

    public URI endpointUri() {
        return URI.create(endpoint());
    }

    /** The file moto writes its output to, for diagnosing a failing test. */
    public java.nio.file.Path logFile() {
        return process.logFile();
    }

    /** Creates a bucket with a fresh unique name and returns the name. */
    public String createBucket() {
        String name = "test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        createBucket(name);
        return name;
    }

    /** Creates a bucket ({@code PUT /name}; moto checks no signature). */
    public void createBucket(String name) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(endpoint() + "/" + name).toURL().openConnection();
            connection.setRequestMethod("PUT");
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(0);
            connection.getOutputStream().close();
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (in != null) {
                try (in) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            if (status != 200) {
                throw new IllegalStateException("CreateBucket " + name + " answered HTTP " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CreateBucket " + name + " on moto failed", e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.close();
    }
}
