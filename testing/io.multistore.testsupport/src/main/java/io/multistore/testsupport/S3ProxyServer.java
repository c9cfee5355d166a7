package io.multistore.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real S3 server for tests: S3Proxy started as a child process on 127.0.0.1, with SigV2/SigV4 authentication and
 * an in-memory ({@code transient}) or directory ({@code filesystem}) store.
 * <p>
 * S3Proxy runs in its own JVM because its jar shades libraries that clash with ours; the build copies
 * {@code org.gaul:s3proxy:jar-with-dependencies} and names it in the system property {@value #JAR_PROPERTY}.
 * Closing (or JVM exit) kills the process tree and deletes its working directory.
 */
public final class S3ProxyServer implements AutoCloseable {

    /** System property naming the S3Proxy jar-with-dependencies. */
    public static final String JAR_PROPERTY = "s3proxy.jar";

    private final ExternalServer process;
    private final String endpoint;
    private final String identity;
    private final String credential;

    private S3ProxyServer(ExternalServer process, String identity, String credential) {
        this.process = process;
        this.endpoint = process.httpEndpoint();
        this.identity = identity;
        this.credential = credential;
    }

    /** Starts S3Proxy with an in-memory store and random credentials. */
    public static S3ProxyServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return endpoint;
    }

    public URI endpointUri() {
        return URI.create(endpoint);
    }

    /** The access key id clients sign with. */
    public String identity() {
        return identity;
    }

    /** The secret access key clients sign with. */
    public String credential() {
        return credential;
    }

    /** The file S3Proxy writes its output to, for diagnosing a failing test. */
    public Path logFile() {
        return process.logFile();
    }

    /** Creates a bucket with a fresh unique name and returns the name. */
    public String createBucket() {
        String name = "test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        createBucket(name);
        return name;
    }

    /** Creates a bucket (SigV2-signed {@code PUT /name}). */
    public void createBucket(String name) {
        int status = signedRequest("PUT", "/" + name);
        if (status != 200) {
            throw new IllegalStateException("CreateBucket " + name + " answered HTTP " + status);
        }
    }

    /** Deletes an empty bucket. */
    public void deleteBucket(String name) {
        int status = signedRequest("DELETE", "/" + name);
        if (status != 204 && status != 200) {
            throw new IllegalStateException("DeleteBucket " + name + " answered HTTP " + status);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.close();
    }

    // SigV2 is enough for bucket administration and needs no SDK on the test support's classpath.
    private int signedRequest(String method, String resource) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String stringToSign = method + "\n\n\n" + date + "\n" + resource;
        HttpURLConnection connection = null;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(credential.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String signature = Base64.getEncoder()
                    .encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
            connection = (HttpURLConnection) URI.create(endpoint + resource).toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setRequestProperty("Date", date);
            connection.setRequestProperty("Authorization", "AWS " + identity + ":" + signature);
            if ("PUT".equals(method)) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(0);
                connection.getOutputStream().close();
            }
            int status = connection.getResponseCode();
            drain(connection);
            return status;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + resource + " to S3Proxy failed", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static void drain(HttpURLConnection connection) throws IOException {
        InputStream in = connection.getResponseCode() >= 400 ? connection.getErrorStream()
                : connection.getInputStream();
        if (in != null) {
            try (in) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
    }

    /** Options for {@link S3ProxyServer}. */
    public static final class Builder {
        private String identity = "test-" + UUID.randomUUID().toString().substring(0, 8);
        private String credential = UUID.randomUUID().toString();
        private Path filesystemBaseDir;
        private Path jar;
        private final Properties extra = new Properties();

        private Builder() {
        }

        /** A further S3Proxy property (e.g. {@code s3proxy.jetty.max-threads} for load tests). */
        public Builder property(String name, String value) {
            extra.setProperty(name, value);
            return this;
        }

        public Builder identity(String identity) {
            this.identity = Objects.requireNonNull(identity);
            return this;
        }

        public Builder credential(String credential) {
            this.credential = Objects.requireNonNull(credential);
            return this;
        }

        /** Store objects as files under {@code baseDir} instead of in memory. */
        public Builder filesystem(Path baseDir) {
            this.filesystemBaseDir = baseDir;
            return this;
        }

        /** The S3Proxy jar; defaults to the system property {@value S3ProxyServer#JAR_PROPERTY}. */
        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        public S3ProxyServer start() {
            Path jarPath = jar != null ? jar : jarFromSystemProperty();
            if (filesystemBaseDir != null) {
                try {
                    Files.createDirectories(filesystemBaseDir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            ExternalServer server = ExternalServer.builder("s3proxy")
                    .command(port -> {
                        Path conf = writeConfiguration(port);
                        return List.of(java, "-Xmx512m", "-jar", jarPath.toString(), "--properties",
                                conf.toString());
                    })
                    .ready(port -> ExternalServer.answersHttp(port, "/"))
                    .start();
            return new S3ProxyServer(server, identity, credential);
        }

        private Path writeConfiguration(int port) {
            Properties props = new Properties();
            props.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
            props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            props.setProperty("s3proxy.identity", identity);
            props.setProperty("s3proxy.credential", credential);
            props.setProperty("s3proxy.ignore-unknown-headers", "true");
            props.setProperty("jclouds.identity", identity);
            props.setProperty("jclouds.credential", credential);
            if (filesystemBaseDir != null) {
                props.setProperty("jclouds.provider", "filesystem");
                props.setProperty("jclouds.filesystem.basedir", filesystemBaseDir.toAbsolutePath().toString());
            } else {
                props.setProperty("jclouds.provider", "transient");
            }
            props.putAll(extra);
            try {
                Path conf = Files.createTempFile("s3proxy-", ".conf");
                conf.toFile().deleteOnExit();
                try (var out = Files.newBufferedWriter(conf)) {
                    props.store(out, "test S3Proxy");
                }
                return conf;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path jarFromSystemProperty() {
            String value = System.getProperty(JAR_PROPERTY);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set: copy "
                        + "org.gaul:s3proxy:jar-with-dependencies with maven-dependency-plugin and pass its path");
            }
            Path path = Paths.get(value);
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException(JAR_PROPERTY + " names no file: " + path);
            }
            return path;
        }
    }
}
