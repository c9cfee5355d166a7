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
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real Azure Blob Storage for tests: Azurite's blob service ({@code azurite-blob} from npm, installed by
 * {@code .ci/run} into {@code .tools/azurite}) as a child process on 127.0.0.1, keeping blobs in memory, with the
 * well-known development account {@value #ACCOUNT}.
 * <p>
 * The executable is {@code <azurite.home>/node_modules/.bin/azurite-blob} when the system property
 * {@value #HOME_PROPERTY} is set, else {@code azurite-blob} from the {@code PATH}. Closing (or JVM exit) kills the
 * process tree.
 */
public final class AzuriteServer implements AutoCloseable {

    /** System property naming the npm prefix Azurite was installed into. */
    public static final String HOME_PROPERTY = "azurite.home";
    /** Azurite's development account. */
    public static final String ACCOUNT = "devstoreaccount1";
    /** The development account's key (public, documented by Microsoft; Azurite accepts nothing else). */
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /** The REST version of the requests {@link #sharedKeyHeaders} signs, unless one is given. */
    public static final String VERSION = "2021-12-02";

    private final ExternalServer process;

    private AzuriteServer(ExternalServer process) {
        this.process = process;
    }

    /** Starts Azurite's blob service on a free port. */
    public static AzuriteServer start() {
        String executable = executable();
        ExternalServer server = ExternalServer.builder("azurite")
                .command(port -> List.of(executable, "--blobHost", "127.0.0.1", "--blobPort",
                        Integer.toString(port), "--inMemoryPersistence", "--disableTelemetry",
                        "--skipApiVersionCheck"))
                .ready(port -> ExternalServer.answersHttp(port, "/" + ACCOUNT + "?comp=list"))
                .start();
        return new AzuriteServer(server);
    }

    /** The executable: from {@value #HOME_PROPERTY}, else the {@code PATH}. */
    public static String executable() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path bin = Paths.get(home, "node_modules", ".bin", "azurite-blob");
            if (Files.isExecutable(bin)) {
                return bin.toString();
            }
        }
        return "azurite-blob";
    }

    /** The account's blob endpoint, {@code http://127.0.0.1:PORT/devstoreaccount1}. */
    public String endpoint() {
        return process.httpEndpoint() + "/" + ACCOUNT;
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

    /** Creates a container with a fresh unique name and returns the name. */
    public String createContainer() {
        String name = "test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        createContainer(name);
        return name;
    }

    /** Creates a container ({@code PUT /account/name?restype=container}, Shared Key signed). */
    public void createContainer(String name) {
        createContainer(name, false);
    }

    /** Creates a container; {@code publicRead}: anyone may read and list its blobs without signing. */
    public void createContainer(String name, boolean publicRead) {
        int status = signedRequest("PUT", name, publicRead ? Map.of("x-ms-blob-public-access", "container")
                : Map.of());
        if (status != 201) {
            throw new IllegalStateException("Create Container " + name + " answered HTTP " + status);
        }
    }

    /** Deletes a container and everything in it. */
    public void deleteContainer(String name) {
        int status = signedRequest("DELETE", name, Map.of());
        if (status != 202 && status != 404) {
            throw new IllegalStateException("Delete Container " + name + " answered HTTP " + status);
        }
    }

    @Override
    public void close() {
        process.close();
    }

    /**
     * The headers that authorise a request with Shared Key ({@code x-ms-date}, {@code x-ms-version},
     * {@code Authorization}), for tests and benchmarks that talk to Azurite without an SDK.
     *
     * @param path          the encoded path after the account ({@code /container/blob})
     * @param query         the query's canonical lines ({@code "\nrestype:container"}), or {@code ""}
     * @param contentLength the body's length (0 for none)
     * @param msHeaders     further {@code x-ms-*} headers to send and sign (names lower case)
     */
    public static Map<String, String> sharedKeyHeaders(String method, String path, String query, long contentLength,
            Map<String, String> msHeaders) {
        Map<String, String> headers = new TreeMap<>(msHeaders);
        headers.put("x-ms-date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        headers.putIfAbsent("x-ms-version", VERSION);
        StringBuilder canonical = new StringBuilder();
        headers.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
        String stringToSign = method + "\n\n\n" + (contentLength > 0 ? Long.toString(contentLength) : "")
                + "\n\n\n\n\n\n\n\n\n" + canonical + "/" + ACCOUNT + "/" + ACCOUNT + path + query;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(ACCOUNT_KEY), "HmacSHA256"));
            headers.put("Authorization", "SharedKey " + ACCOUNT + ":" + Base64.getEncoder()
                    .encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return headers;
    }

    /**
     * An account SAS of the development account for the blob service (every permission, every resource type, until
     * 2099), as a query string without {@code ?}: for a harness that authorises requests to Azurite on a client's
     * behalf (see {@link BearerGate}).
     */
    public static String accountSas() {
        String version = "2019-12-12";
        String permissions = "rwdlacup";
        String expiry = "2099-01-01T00:00:00Z";
        String protocol = "https,http";
        String stringToSign = ACCOUNT + "\n" + permissions + "\nb\nsco\n\n" + expiry + "\n\n" + protocol + "\n"
                + version + "\n";
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(ACCOUNT_KEY), "HmacSHA256"));
            String sig = Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
            return "sv=" + version + "&ss=b&srt=sco&sp=" + permissions + "&se=" + enc(expiry) + "&spr=" + enc(protocol)
                    + "&sig=" + enc(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private int signedRequest(String method, String container, Map<String, String> msHeaders) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(endpoint() + "/" + container + "?restype=container").toURL()
                    .openConnection();
            connection.setRequestMethod(method);
            sharedKeyHeaders(method, "/" + container, "\nrestype:container", 0, msHeaders)
                    .forEach(connection::setRequestProperty);
            if ("PUT".equals(method)) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(0);
                connection.getOutputStream().close();
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (in != null) {
                try (in) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            return status;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " container " + container + " on Azurite failed", e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
