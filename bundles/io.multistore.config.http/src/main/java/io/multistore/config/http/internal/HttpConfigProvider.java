package io.multistore.config.http.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.config.ConfigSource;
import io.multistore.config.records.Json;
import io.multistore.config.records.JsonRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets, roles and credentials from an HTTP control plane: {@code GET /buckets}, {@code /buckets/{name}},
 * {@code /roles/{role_id}}, {@code /credentials/{access_key_id}}, each answering the record as JSON (the TOML field
 * names), 404 for an absent one. Any other answer, a timeout or a refused connection means the control plane is
 * unavailable (503 to clients unless the cache holds the record).
 * <p>
 * Ids are checked before any request ({@link JsonRecords#plausibleId}) and sent percent-encoded as one path segment,
 * so no id can reach another path of the control plane. Bodies are read up to a limit, never whole whatever their
 * size. Uses the JDK's HTTP client (HTTP/1.1 and 2, TLS with the JDK's trust store or a given CA file).
 */
@Component(service = ConfigProvider.class, configurationPid = HttpConfigProvider.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@ConfigSource("http")
@Designate(ocd = HttpConfigProvider.Config.class)
public final class HttpConfigProvider implements ConfigProvider {

    static final String PID = "io.multistore.config.http";
    static final String AUTHORIZATION_ENV = "MULTISTORE_CONFIG_AUTHORIZATION";
    /** The largest record accepted; a listing may be this many times larger. */
    static final int MAX_RECORD_BYTES = 1 << 20;
    static final int MAX_LISTING_BYTES = 64 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(HttpConfigProvider.class);

    @ObjectClassDefinition(id = PID, name = "Multistore HTTP config provider",
            description = "Buckets, roles and credentials from an HTTP control plane: GET /buckets, "
                    + "/buckets/{name}, /roles/{role_id}, /credentials/{access_key_id} answer JSON records; "
                    + "404 means absent.")
    public @interface Config {

        @AttributeDefinition(name = "Base URL", description = "The control plane's base URL (http:// or https://); "
                + "the record paths are appended to it.")
        String base__url();

        @AttributeDefinition(name = "Authorization header", type = AttributeType.PASSWORD, required = false,
                description = "Value of the Authorization header sent with every request (e.g. Bearer TOKEN). "
                        + "Empty: the MULTISTORE_CONFIG_AUTHORIZATION environment variable, else none.")
        String authorization() default "";

        @AttributeDefinition(name = "Connect timeout (ms)", min = "1",
                description = "How long to wait for a connection to the control plane, in milliseconds.")
        long connect__timeout__ms() default 2000;

        @AttributeDefinition(name = "Request timeout (ms)", min = "1",
                description = "How long to wait for a whole answer, in milliseconds.")
        long request__timeout__ms() default 5000;

        @AttributeDefinition(name = "CA certificates file", required = false,
                description = "PEM file of the certificate authorities to trust for https (a private CA); empty: "
                        + "the JDK's trust store.")
        String ca__file() default "";
    }

    private final URI base;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient client;

    @Activate
    public HttpConfigProvider(Config config) {
        this(config.base__url(), config.authorization().isEmpty() ? System.getenv(AUTHORIZATION_ENV)
                : config.authorization(), Duration.ofMillis(config.connect__timeout__ms()),
                Duration.ofMillis(config.request__timeout__ms()), config.ca__file());
    }

    HttpConfigProvider(String baseUrl, String authorization, Duration connectTimeout, Duration requestTimeout,
            String caFile) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("base_url is required: the control plane's http(s):// URL");
        }
        URI uri = URI.create(baseUrl.trim());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("base_url must be an http:// or https:// URL without query or "
                    + "fragment, not '" + uri.getScheme() + "://" + uri.getHost() + "...'");
        }
        if (uri.getRawUserInfo() != null) {
            // it would end up in log lines; the authorization attribute is the place for a credential
            throw new IllegalArgumentException("base_url must not carry user:password@; set authorization instead");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.base = URI.create(uri.getScheme() + "://" + uri.getRawAuthority()
                + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path));
        this.authorization = authorization == null || authorization.isBlank() ? null : authorization.trim();
        this.requestTimeout = requestTimeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caFile != null && !caFile.isBlank()) {
            builder.sslContext(sslContext(Path.of(caFile.trim())));
        }
        this.client = builder.build();
        LOG.info("HTTP config provider reads {}{}", base, this.authorization == null ? "" : " (with Authorization)");
    }

    @Override
    public Optional<BucketConfig> bucket(String name) {
        return record("buckets", name, JsonRecords::bucket);
    }

    @Override
    public List<BucketConfig> buckets() {
        URI uri = URI.create(base + "/buckets");
        String body = get(uri, MAX_LISTING_BYTES).orElseThrow(() -> unavailable(uri, "404 for the bucket listing",
                null));
        Object root;
        try {
            root = Json.parse(body).root();
        } catch (Json.SyntaxException e) {
            throw unavailable(uri, "the bucket listing is not JSON: " + e.getMessage(), null);
        }
        if (root instanceof Map<?, ?> map && map.get("buckets") instanceof List<?> list) {
            root = list; // {"buckets": [...]} is accepted as well as a bare array
        }
        if (!(root instanceof List<?> list)) {
            throw unavailable(uri, "the bucket listing must be a JSON array of bucket records", null);
        }
        return JsonRecords.buckets(list, uri.toString());
    }

    @Override
    public Optional<RoleConfig> role(String roleId) {
        return record("roles", roleId, JsonRecords::role);
    }

    @Override
    public Optional<StoredCredential> credential(String accessKeyId) {
        return record("credentials", accessKeyId, JsonRecords::credential);
    }

    /** Parses a record: {@code (json, where, id) -> record}. */
    @FunctionalInterface
    private interface Parser<T> {
        Optional<T> parse(String json, String where, String id);
    }

    private <T> Optional<T> record(String collection, String id, Parser<T> parser) {
        if (!JsonRecords.plausibleId(id)) {
            return Optional.empty();
        }
        URI uri = URI.create(base + "/" + collection + "/" + encodeSegment(id));
        return get(uri, MAX_RECORD_BYTES).flatMap(body -> parser.parse(body, uri.toString(), id));
    }

    /** The body of a 200 answer, empty for 404; anything else is the control plane failing. */
    private Optional<String> get(URI uri, int limit) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(requestTimeout)
                .header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unavailable(uri, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(uri, "interrupted", e);
        }
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status == 404) {
                return Optional.empty();
            }
            if (status != 200) {
                throw unavailable(uri, "HTTP " + status, null);
            }
            return Optional.of(read(in, limit, uri));
        } catch (IOException e) {
            throw unavailable(uri, e.toString(), e);
        }
    }

    private static String read(InputStream in, int limit, URI uri) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0;) {
            if (out.size() + n > limit) {
                throw unavailable(uri, "answer larger than " + limit + " bytes", null);
            }
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static S3Exception unavailable(URI uri, String why, Throwable cause) {
        // the message reaches the log (with the cause); clients see a generic 503
        return new S3Exception(S3ErrorCode.ServiceUnavailable, "config control plane failed: GET " + uri + ": " + why,
                cause);
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String encodeSegment(String id) {
        StringBuilder sb = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    private static SSLContext sslContext(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new IllegalArgumentException("ca_file " + caFile + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load ca_file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
