package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.multistore.testsupport.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetBucketCorsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What browsers do with the gateway, through the distribution with headless Chromium, on the filesystem backend
 * ({@code local}) and on S3Proxy ({@code remote}): an HTML form with a SigV4 POST policy uploads a file (read back with
 * the SDK), forms that break their policy store nothing and get S3's codes, and a page on another origin reads an
 * object with {@code fetch} and a custom header (a CORS preflight) while a page on an origin no rule allows cannot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserE2ETest {
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @TempDir
    static Path temp;

    S3ProxyServer s3proxy;
    MultistoreServer server;
    S3Client client;
    S3Client backend;
    /** The allowed origin's page server, and one on another port: an origin no rule allows. */
    HttpServer pages;
    HttpServer otherOrigin;
    final Map<String, String> html = new ConcurrentHashMap<>();
    final BlockingQueue<String> reports = new LinkedBlockingQueue<>();

    @BeforeAll
    void start() throws Exception {
        pages = pageServer();
        otherOrigin = pageServer();
        s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("backend");
        String cors = """
                [buckets.cors]
                allowed_origins = ["%s"]
                allowed_methods = ["GET", "PUT", "POST"]
                allowed_headers = ["x-custom-*"]
                expose_headers = ["ETag", "x-amz-request-id"]
                max_age_seconds = 60
                """.formatted(origin(pages));
        String actions = "[\"get_object\", \"head_object\", \"put_object\", \"list_bucket\"]";
        Path config = temp.resolve("config.toml");
        Files.writeString(config, """
                [[buckets]]
                name = "local"
                backend_type = "fs"
                anonymous_access = false
                [buckets.backend_options]
                root = "%s"
                %s
                [[buckets]]
                name = "remote"
                backend_type = "s3"
                backend_prefix = "gw/"
                anonymous_access = false
                [buckets.backend_options]
                endpoint = "%s"
                region = "us-east-1"
                bucket_name = "backend"
                access_key_id = "%s"
                secret_access_key = "%s"
                %s
                [[credentials]]
                access_key_id = "%s"
                secret_access_key = "%s"
                principal_name = "browser-e2e"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "local"
                actions = %s
                [[credentials.allowed_scopes]]
                bucket = "remote"
                actions = %s
                """.formatted(temp.resolve("buckets/local"), cors, s3proxy.endpoint(), s3proxy.identity(),
                s3proxy.credential(), cors, E2E.KEY, E2E.SECRET, actions, actions));
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        server = MultistoreServer.start(home, config, List.of(), Map.of("JAVA_OPTS", "-Xmx256m"));
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        backend = Clients.pathStyle(s3proxy.endpointUri(), s3proxy.identity(), s3proxy.credential());
        E2E.awaitReady(client, server, "local");
    }

    @AfterAll
    void stop() {
        Stream.of(client, backend).filter(c -> c != null).forEach(S3Client::close);
        if (server != null) {
            server.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
        Stream.of(pages, otherOrigin).filter(p -> p != null).forEach(p -> p.stop(0));
    }

    /** A page server: {@code /page/NAME} serves {@link #html}; {@code /report} and {@code /done} record queries. */
    private HttpServer pageServer() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String page = path.startsWith("/page/") ? html.get(path.substring(6)) : null;
            if (path.equals("/report") || path.equals("/done")) {
                reports.add(path + "?" + exchange.getRequestURI().getRawQuery());
                page = "<html><body>recorded</body></html>";
            }
            respond(exchange, page);
        });
        s.start();
        return s;
    }

    private static void respond(HttpExchange exchange, String page) throws IOException {
        byte[] body = (page == null ? "not found" : page).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    static String origin(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    /** Opens a page in headless Chromium and returns what it reported (a /report or /done query). */
    private String browse(String url, String name) throws Exception {
        reports.clear();
        Process chromium = new ProcessBuilder(Chromium.executable(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + temp.resolve("chromium-" + name), "--virtual-time-budget=30000",
                "--dump-dom", url).redirectErrorStream(true).redirectOutput(temp.resolve(name + ".log").toFile())
                .start();
        try {
            String report = reports.poll(90, TimeUnit.SECONDS);
            assertNotNull(report, "the page reported nothing; chromium log:\n"
                    + Files.readString(temp.resolve(name + ".log")));
            return URLDecoder.decode(report, StandardCharsets.UTF_8);
        } finally {
            chromium.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- POST policies

    /** A SigV4 POST policy over the conditions, signed for {@link E2E#KEY}: the form's signature fields. */
    static Map<String, String> signedFields(Instant expiration, String date, List<String> conditions)
            throws Exception {
        String scope = date.substring(0, 8) + "/us-east-1/s3/aws4_request";
        List<String> all = new ArrayList<>(conditions);
        all.add("{\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}");
        all.add("{\"x-amz-credential\": \"" + E2E.KEY + "/" + scope + "\"}");
        all.add("{\"x-amz-date\": \"" + date + "\"}");
        String json = "{\"expiration\": \"" + expiration + "\", \"conditions\": [" + String.join(", ", all) + "]}";
        String policy = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + E2E.SECRET).getBytes(StandardCharsets.UTF_8), date.substring(0, 8));
        for (String part : List.of("us-east-1", "s3", "aws4_request")) {
            key = hmac(key, part);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("policy", policy);
        fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        fields.put("x-amz-credential", E2E.KEY + "/" + scope);
        fields.put("x-amz-date", date);
        fields.put("x-amz-signature", java.util.HexFormat.of().formatHex(hmac(key, policy)));
        return fields;
    }

    static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "remote"})
    void aBrowserFormUploadIsStoredAndReadsBack(String bucket) throws Exception {
        String done = origin(pages) + "/done";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "browser/${filename}");
        fields.put("Content-Type", "text/plain");
        fields.put("x-amz-meta-uploaded-by", "chromium");
        fields.put("success_action_redirect", done);
        List<String> conditions = new ArrayList<>(List.of(
                "{\"bucket\": \"" + bucket + "\"}", "[\"starts-with\", \"$key\", \"browser/\"]",
                "[\"starts-with\", \"$Content-Type\", \"text/\"]", "{\"x-amz-meta-uploaded-by\": \"chromium\"}",
                "[\"eq\", \"$success_action_redirect\", \"" + done + "\"]",
                "[\"content-length-range\", 1, 1048576]"));
        // object tags where the backend keeps them (S3Proxy does not)
        String tagging = "<Tagging><TagSet><Tag><Key>source</Key><Value>form</Value></Tag></TagSet></Tagging>";
        if (bucket.equals("local")) {
            fields.put("tagging", tagging);
            conditions.add("[\"eq\", \"$tagging\", \"" + tagging + "\"]");
        }
        fields.putAll(signedFields(Instant.now().plusSeconds(600), AMZ_DATE.format(Instant.now()), conditions));
        StringBuilder inputs = new StringBuilder();
        fields.forEach((name, value) -> inputs.append("<input type=\"hidden\" name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\">\n"));
        String content = "Uploaded by a browser form to " + bucket + ": ünïcødé";
        html.put("form-" + bucket, """
                <!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
                <form id="upload" action="%s/%s" method="post" enctype="multipart/form-data">
                %s<input type="file" name="file" id="file"></form>
                <script>
                  const dt = new DataTransfer();
                  dt.items.add(new File([%s], "hello-%s.txt", {type: "text/plain"}));
                  document.getElementById("file").files = dt.files;
                  document.getElementById("upload").submit();
                </script></body></html>
                """.formatted(server.endpoint(), bucket, inputs, jsString(content), bucket));

        String report = browse(origin(pages) + "/page/form-" + bucket, "form-" + bucket);
        String key = "browser/hello-" + bucket + ".txt";
        assertTrue(report.startsWith("/done?bucket=" + bucket + "&key=" + key + "&etag=\""), report);

        ResponseBytes<GetObjectResponse> object = client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        assertEquals(content, object.asUtf8String());
        assertEquals("text/plain", object.response().contentType());
        assertEquals("chromium", object.response().metadata().get("uploaded-by"));
        assertTrue(report.endsWith("&etag=" + object.response().eTag()), report + " vs " + object.response().eTag());
        if (bucket.equals("local")) {
            var tags = client.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet();
            assertEquals(1, tags.size(), tags.toString());
            assertEquals("source", tags.get(0).key());
            assertEquals("form", tags.get(0).value());
        }
    }

    private static String jsString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A form body as raw HTTP, the file last. */
    static byte[] form(String boundary, Map<String, String> fields, byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((name, value) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; "
                + "name=\"" + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "remote"})
    void formsThatBreakTheirPolicyStoreNothing(String bucket) throws Exception {
        String boundary = "e2eBoundary7MA4YWxk";
        String date = AMZ_DATE.format(Instant.now());
        List<String> conditions = List.of("{\"bucket\": \"" + bucket + "\"}",
                "[\"starts-with\", \"$key\", \"policy/\"]", "[\"content-length-range\", 10, 1048576]");
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("key", "policy/object");
        valid.putAll(signedFields(Instant.now().plusSeconds(600), date, conditions));

        Map<String, String> otherKey = new LinkedHashMap<>(valid);
        otherKey.put("key", "elsewhere/object");
        Map<String, String> extra = new LinkedHashMap<>(valid);
        extra.put("x-amz-meta-sneaky", "1");
        Map<String, String> expired = new LinkedHashMap<>(Map.of("key", "policy/object"));
        expired.putAll(signedFields(Instant.now().minusSeconds(5), date, conditions));
        Map<String, String> forged = new LinkedHashMap<>(valid);
        forged.put("x-amz-signature", "0".repeat(64));
        Map<String, String> garbled = new LinkedHashMap<>(valid);
        garbled.put("policy", "not a policy");
        byte[] ok = new byte[100];

        record Case(String what, String contentType, byte[] body, int status, String code) {
        }
        String multipart = "multipart/form-data; boundary=" + boundary;
        byte[] whole = form(boundary, valid, ok);
        List<Case> cases = List.of(
                new Case("over content-length-range", multipart, form(boundary, valid, new byte[1048577]), 400,
                        "EntityTooLarge"),
                new Case("under content-length-range", multipart, form(boundary, valid, new byte[9]), 400,
                        "EntityTooSmall"),
                new Case("a key outside the policy", multipart, form(boundary, otherKey, ok), 403, "AccessDenied"),
                new Case("a field no condition covers", multipart, form(boundary, extra, ok), 403, "AccessDenied"),
                new Case("an expired policy", multipart, form(boundary, expired, ok), 403, "AccessDenied"),
                new Case("a forged signature", multipart, form(boundary, forged, ok), 403, "SignatureDoesNotMatch"),
                new Case("a policy that is not base64 JSON", multipart, form(boundary, garbled, ok), 400,
                        "InvalidPolicyDocument"),
                new Case("a body cut short", multipart, java.util.Arrays.copyOf(whole, 200), 400,
                        "MalformedPOSTRequest"),
                new Case("not a form", "application/octet-stream", ok, 412, "PreconditionFailed"));
        for (Case c : cases) {
            RawHttp.Response r = RawHttp.send(server.port(), "POST", "/" + bucket,
                    List.<String[]>of(new String[] {"Content-Type", c.contentType()}), c.body());
            assertEquals(c.status(), r.status(), c.what() + ": " + r);
            assertTrue(r.text().contains("<Code>" + c.code() + "</Code>"), c.what() + ": " + r);
            if (c.code().equals("AccessDenied") && !c.what().contains("outside")) {
                assertTrue(r.text().contains("<Message>Invalid according to Policy: "), c.what() + ": " + r);
            }
            for (String key : List.of("policy/object", "elsewhere/object")) {
                assertThrows(NoSuchKeyException.class, () -> client.headObject(b -> b.bucket(bucket).key(key)),
                        c.what() + " left " + key + " behind");
            }
        }
        if (bucket.equals("remote")) {
            // nothing reached the backend bucket either, not even an unfinished multipart upload
            assertTrue(backend.listObjectsV2(b -> b.bucket("backend").prefix("gw/policy/")).contents().isEmpty());
            assertTrue(backend.listMultipartUploads(b -> b.bucket("backend")).uploads().isEmpty());
        }

        // and the same form within its policy is stored
        RawHttp.Response stored = RawHttp.send(server.port(), "POST", "/" + bucket,
                List.<String[]>of(new String[] {"Content-Type", multipart}), whole);
        assertEquals(204, stored.status(), stored.toString());
        assertEquals(100, client.headObject(b -> b.bucket(bucket).key("policy/object")).contentLength());
    }

    // ---------------------------------------------------------------- CORS

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "remote"})
    void aPageOnAnAllowedOriginFetchesWithACustomHeader(String bucket) throws Exception {
        client.putObject(b -> b.bucket(bucket).key("cors/hello.txt"), RequestBody.fromString("hello, origin"));
        String url;
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(server.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(E2E.KEY, E2E.SECRET)))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .build()) {
            url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(10))
                    .getObjectRequest(g -> g.bucket(bucket).key("cors/hello.txt"))).url().toString();
        }
        html.put("fetch-" + bucket, """
                <!DOCTYPE html><html><body><script>
                  fetch(%s, {headers: {"x-custom-note": "from a page"}})
                    .then(r => r.text().then(t => "/report?status=" + r.status + "&etag=" + r.headers.get("ETag")
                        + "&body=" + encodeURIComponent(t)))
                    .catch(e => "/report?error=" + encodeURIComponent(String(e)))
                    .then(report => { location.href = report; });
                </script></body></html>
                """.formatted(jsString(url)));

        String allowed = browse(origin(pages) + "/page/fetch-" + bucket, "fetch-" + bucket);
        String etag = client.headObject(b -> b.bucket(bucket).key("cors/hello.txt")).eTag();
        assertEquals("/report?status=200&etag=" + etag + "&body=hello, origin", allowed);

        String refused = browse(origin(otherOrigin) + "/page/fetch-" + bucket, "refused-" + bucket);
        assertEquals("/report?error=TypeError: Failed to fetch", refused);

        // the preflight Chromium sent, by hand: allowed for one origin, AccessForbidden for the other
        String path = URI.create(url).getRawPath() + "?" + URI.create(url).getRawQuery();
        RawHttp.Response yes = RawHttp.send(server.port(), "OPTIONS", path, List.of(
                new String[] {"Origin", origin(pages)}, new String[] {"Access-Control-Request-Method", "GET"},
                new String[] {"Access-Control-Request-Headers", "x-custom-note"}), new byte[0]);
        assertEquals(200, yes.status(), yes.toString());
        assertEquals(origin(pages), yes.header("Access-Control-Allow-Origin"));
        assertEquals("x-custom-note", yes.header("Access-Control-Allow-Headers"));
        assertEquals("60", yes.header("Access-Control-Max-Age"));
        RawHttp.Response no = RawHttp.send(server.port(), "OPTIONS", path, List.of(
                new String[] {"Origin", origin(otherOrigin)}, new String[] {"Access-Control-Request-Method", "GET"},
                new String[] {"Access-Control-Request-Headers", "x-custom-note"}), new byte[0]);
        assertEquals(403, no.status(), no.toString());
        assertTrue(no.text().contains("<Code>AccessForbidden</Code>"), no.toString());
        assertNull(no.header("Access-Control-Allow-Origin"));
    }

    @Test
    void getBucketCorsShowsTheConfiguredRules() {
        GetBucketCorsResponse rules = client.getBucketCors(b -> b.bucket("local"));
        assertEquals(1, rules.corsRules().size());
        assertEquals(List.of(origin(pages)), rules.corsRules().get(0).allowedOrigins());
        assertEquals(List.of("GET", "PUT", "POST"), rules.corsRules().get(0).allowedMethods());
        assertEquals(List.of("x-custom-*"), rules.corsRules().get(0).allowedHeaders());
        assertEquals(60, rules.corsRules().get(0).maxAgeSeconds());
        var e = assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                () -> client.deleteBucketCors(b -> b.bucket("local")));
        assertEquals(501, e.statusCode());
    }
}
