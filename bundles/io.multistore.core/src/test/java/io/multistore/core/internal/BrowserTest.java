package io.multistore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.CorsRule;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What browsers do: POST form uploads (POST Object with a SigV4 policy) and CORS. */
class BrowserTest {

    static final String BOUNDARY = "----WebKitFormBoundaryx7Zq3";
    static final CorsRule APP = new CorsRule(List.of("https://app.example.com", "https://*.example.org"),
            List.of("GET", "PUT", "POST"), List.of("x-amz-*", "content-type"), List.of("ETag"), 600, "app");
    static final BucketConfig UPLOADS = new BucketConfig("uploads", "mem", "", false, List.of(), Map.of(),
            List.of(APP));
    static final BucketConfig PUBLIC = new BucketConfig("public", "mem", "", true, List.of(), Map.of());
    static final BucketConfig NOCORS = new BucketConfig("nocors", "mem", "", true, List.of(), Map.of(), List.of());

    final MemoryStore store = new MemoryStore();
    final Plugins plugins = new Plugins();
    final List<io.multistore.api.observe.CompletedRequest> completed =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    S3Gateway gateway;

    final ConfigProvider provider = new ConfigProvider() {
        @Override
        public Optional<BucketConfig> bucket(String name) {
            return buckets().stream().filter(b -> b.name().equals(name)).findFirst();
        }

        @Override
        public List<BucketConfig> buckets() {
            return List.of(UPLOADS, PUBLIC, NOCORS);
        }

        @Override
        public Optional<RoleConfig> role(String roleId) {
            return Optional.empty();
        }

        @Override
        public Optional<StoredCredential> credential(String accessKeyId) {
            if (accessKeyId.equals(Signer.ACCESS_KEY)) {
                return Optional.of(new StoredCredential(Signer.ACCESS_KEY, Signer.SECRET_KEY, "alice", null, null,
                        true, List.of(new AccessScope("*", List.of("user/"), EnumSet.allOf(Action.class)))));
            }
            return Optional.empty();
        }
    };

    @BeforeEach
    void setUp() {
        plugins.setConfigProvider(provider);
        plugins.addBackend(bucket -> store, "mem", 0, 1);
        plugins.addListener(completed::add);
        CorsRule fallback = new CorsRule(List.of("*"), List.of("GET", "HEAD"), List.of(), List.of(), -1, "default");
        gateway = new S3Gateway(new GatewaySettings("", 1024 * 1024, 4096, java.time.Duration.ZERO,
                List.of(fallback)), plugins, new StoreCache(), Clock.systemUTC());
    }

    MemoryExchange run(MemoryExchange ex) throws IOException {
        gateway.handle(ex);
        return ex;
    }

    // ---------------------------------------------------------------- forms

    /** A policy document, base64. */
    static String policy(Instant expiration, String... conditions) {
        String json = "{\"expiration\": \"" + expiration + "\", \"conditions\": [" + String.join(", ", conditions)
                + "]}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String[] signatureConditions(String date) {
        return new String[] {"{\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}",
            "{\"x-amz-credential\": \"" + Signer.ACCESS_KEY + "/" + date.substring(0, 8) + "/us-east-1/s3/aws4_request\"}",
            "{\"x-amz-date\": \"" + date + "\"}"};
    }

    /** The form fields of a SigV4 POST policy, signed with an independent HMAC implementation. */
    static List<String[]> signedFields(String policy, String secret) throws Exception {
        String date = amzDate();
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date.substring(0, 8));
        key = hmac(key, "us-east-1");
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        String signature = java.util.HexFormat.of().formatHex(hmac(key, policy));
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Policy", policy});
        fields.add(new String[] {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"});
        fields.add(new String[] {"X-Amz-Credential", Signer.ACCESS_KEY + "/" + date.substring(0, 8)
                + "/us-east-1/s3/aws4_request"});
        fields.add(new String[] {"X-Amz-Date", date});
        fields.add(new String[] {"X-Amz-Signature", signature});
        return fields;
    }

    /** One signing time for the whole class: a policy and its fields must name the same one. */
    static final String DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
            .format(Instant.now());

    static String amzDate() {
        return DATE;
    }


    static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /** A multipart/form-data body: the fields, then the file part. */
    static byte[] form(List<String[]> fields, String filename, byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] f : fields) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n"
                    + f[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (file != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static MemoryExchange post(String bucket, byte[] body) {
        return new MemoryExchange("POST", "/" + bucket, null)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).body(body);
    }

    List<String[]> fields(String policy, String... more) throws Exception {
        List<String[]> fields = new ArrayList<>();
        for (int i = 0; i < more.length; i += 2) {
            fields.add(new String[] {more[i], more[i + 1]});
        }
        fields.addAll(signedFields(policy, Signer.SECRET_KEY));
        return fields;
    }

    String standardPolicy(String... extra) {
        List<String> conditions = new ArrayList<>(List.of(signatureConditions(amzDate())));
        conditions.add("{\"bucket\": \"uploads\"}");
        conditions.add("[\"starts-with\", \"$key\", \"user/\"]");
        conditions.add("[\"starts-with\", \"$Content-Type\", \"text/\"]");
        conditions.add("[\"content-length-range\", 1, 1000]");
        conditions.addAll(List.of(extra));
        return policy(Instant.now().plusSeconds(600), conditions.toArray(String[]::new));
    }

    static String error(MemoryExchange ex) {
        String text = ex.responseText();
        int start = text.indexOf("<Code>");
        return start < 0 ? "" : text.substring(start + 6, text.indexOf("</Code>"));
    }

    @Test
    void aSignedFormStoresTheFileUnderItsKey() throws Exception {
        byte[] file = "hello from a browser".getBytes(StandardCharsets.UTF_8);
        MemoryExchange ex = run(post("uploads", form(fields(standardPolicy(
                "[\"starts-with\", \"$x-amz-meta-note\", \"\"]"),
                "key", "user/${filename}", "Content-Type", "text/plain", "x-amz-meta-note", "from a form"),
                "dir\\hello.txt", file)));
        assertEquals(204, ex.status(), ex.responseText());
        assertEquals(MemoryStore.etag(file), ex.responseHeader("ETag"));
        assertEquals("user/hello.txt", completed.get(completed.size() - 1).key(), "the access log names the key");
        MemoryStore.Stored stored = store.objects.get("user/hello.txt");
        assertTrue(stored != null, store.objects.keySet().toString());
        assertEquals("hello from a browser", new String(stored.data(), StandardCharsets.UTF_8));
        assertEquals("text/plain", stored.meta().attributes().contentType());
        assertEquals("from a form", stored.meta().attributes().userMetadata().get("note"));
    }

    @Test
    void successActionStatusAndRedirect() throws Exception {
        MemoryExchange created = run(post("uploads", form(fields(standardPolicy(
                "{\"success_action_status\": \"201\"}"), "key", "user/a.txt", "Content-Type", "text/plain",
                "success_action_status", "201"), "a.txt", new byte[] {1, 2, 3})));
        assertEquals(201, created.status(), created.responseText());
        assertTrue(created.responseText().contains("<PostResponse><Location>http://localhost:8080/uploads/user/a.txt"
                + "</Location><Bucket>uploads</Bucket><Key>user/a.txt</Key><ETag>"), created.responseText());

        MemoryExchange redirected = run(post("uploads", form(fields(standardPolicy(
                "[\"starts-with\", \"$success_action_redirect\", \"https://app.example.com/\"]"), "key",
                "user/b.txt", "Content-Type", "text/plain", "success_action_redirect",
                "https://app.example.com/done?x=1"), "b.txt", new byte[] {1})));
        assertEquals(303, redirected.status(), redirected.responseText());
        assertTrue(redirected.responseHeader("Location").startsWith(
                "https://app.example.com/done?x=1&bucket=uploads&key=user/b.txt&etag=%22"),
                redirected.responseHeader("Location"));
    }

    @Test
    void policyViolationsAreRefusedAndStoreNothing() throws Exception {
        String ok = standardPolicy();
        Map<String, byte[]> cases = new java.util.LinkedHashMap<>();
        // the key outside the policy's prefix
        cases.put("AccessDenied:Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", "
                + "\"user/\"]", form(fields(ok, "key", "other/x", "Content-Type", "text/plain"), "x", new byte[1]));
        // a field no condition names
        cases.put("AccessDenied:Invalid according to Policy: Extra input fields: x-amz-meta-extra", form(fields(ok,
                "key", "user/x", "Content-Type", "text/plain", "x-amz-meta-extra", "1"), "x", new byte[1]));
        // expired
        cases.put("AccessDenied:Invalid according to Policy: Policy expired.", form(fields(policy(
                Instant.now().minusSeconds(1), signatureConditions(amzDate())), "key", "user/x"), "x", new byte[1]));
        // over and under content-length-range
        cases.put("EntityTooLarge:", form(fields(ok, "key", "user/x", "Content-Type", "text/plain"), "x",
                new byte[1001]));
        cases.put("EntityTooSmall:", form(fields(ok, "key", "user/x", "Content-Type", "text/plain"), "x",
                new byte[0]));
        // another secret
        List<String[]> forged = new ArrayList<>(List.of(new String[] {"key", "user/x"},
                new String[] {"Content-Type", "text/plain"}));
        forged.addAll(signedFields(ok, "not-the-secret"));
        cases.put("SignatureDoesNotMatch:", form(forged, "x", new byte[1]));
        // not base64 of JSON
        List<String[]> badPolicy = new ArrayList<>(List.<String[]>of(new String[] {"key", "user/x"}));
        badPolicy.addAll(signedFields("!!not base64!!", Signer.SECRET_KEY));
        cases.put("InvalidPolicyDocument:", form(badPolicy, "x", new byte[1]));
        // no file
        cases.put("InvalidArgument:POST requires exactly one file upload per request.",
                form(fields(ok, "key", "user/x", "Content-Type", "text/plain"), null, null));
        // no key
        cases.put("InvalidArgument:Bucket POST must contain a field named 'key'.",
                form(fields(ok, "Content-Type", "text/plain"), "x", new byte[1]));
        // tags on a store that keeps none are refused, never dropped
        cases.put("NotImplemented:", form(fields(standardPolicy("{\"tagging\": \"<Tagging/>\"}"), "key", "user/x",
                "Content-Type", "text/plain", "tagging", "<Tagging/>"), "x", new byte[1]));
        // a key the credential's scope does not cover, though the policy allows it
        List<String> anyKey = new ArrayList<>(List.of(signatureConditions(amzDate())));
        anyKey.add("[\"starts-with\", \"$key\", \"\"]");
        cases.put("AccessDenied:Access Denied", form(fields(policy(Instant.now().plusSeconds(60),
                anyKey.toArray(String[]::new)), "key", "elsewhere/x"), "x", new byte[1]));
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            MemoryExchange ex = run(post("uploads", c.getValue()));
            String[] expected = c.getKey().split(":", 2);
            assertEquals(expected[0], error(ex), c.getKey() + "\n" + ex.responseText());
            assertTrue(ex.responseText().contains("<Message>" + XmlWriter.escape(expected[1])), ex.responseText());
            assertTrue(store.objects.isEmpty(), c.getKey() + " stored " + store.objects.keySet());
        }
    }

    @Test
    void malformedBodiesAndAnonymousForms() throws Exception {
        MemoryExchange notAForm = run(new MemoryExchange("POST", "/uploads", null)
                .header("Content-Type", "text/plain").body(new byte[3]));
        assertEquals("PreconditionFailed", error(notAForm));
        byte[] cut = form(List.<String[]>of(new String[] {"key", "user/x"}), "x", new byte[10]);
        MemoryExchange truncated = run(post("uploads", java.util.Arrays.copyOf(cut, 60)));
        assertEquals("MalformedPOSTRequest", error(truncated), truncated.responseText());
        MemoryExchange noBoundary = run(new MemoryExchange("POST", "/uploads", null)
                .header("Content-Type", "multipart/form-data").body(cut));
        assertEquals("MalformedPOSTRequest", error(noBoundary));
        // anonymous forms write only where anonymous writes are allowed: nowhere, here
        MemoryExchange anonymous = run(post("public", form(List.<String[]>of(new String[] {"key", "x"}), "x", new byte[1])));
        assertEquals("AccessDenied", error(anonymous), anonymous.responseText());
        assertTrue(store.objects.isEmpty());
    }

    @Test
    void aLargeFileStreamsThroughTheReaderInSmallReads() throws Exception {
        // bytes that look like the start of a delimiter, across the reader's buffer edges
        byte[] file = new byte[300_000];
        byte[] lookalike = ("\r\n--" + BOUNDARY.substring(0, 10)).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < file.length; i++) {
            file[i] = i % 997 < lookalike.length ? lookalike[i % 997] : (byte) i;
        }
        byte[] body = form(List.of(new String[] {"key", "k"}, new String[] {"a", "b"}), "f", file);
        MultipartReader reader = new MultipartReader(new TrickleStream(body), BOUNDARY);
        MultipartReader.Part key = reader.next(1000);
        assertEquals("key", key.name());
        assertEquals("k", new String(key.body().readAllBytes(), StandardCharsets.UTF_8));
        MultipartReader.Part a = reader.next(1000);
        assertEquals("a", a.name());
        MultipartReader.Part f = reader.next(1000); // a's body is skipped
        assertEquals("f", f.filename());
        assertEquals("application/octet-stream", f.contentType());
        assertTrue(java.util.Arrays.equals(file, f.body().readAllBytes()));
        assertNull(reader.next(1000));
    }

    /** Gives at most 7 bytes a read. */
    static final class TrickleStream extends InputStream {
        private final byte[] data;
        private int pos;

        TrickleStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 7), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    // ---------------------------------------------------------------- CORS

    static MemoryExchange preflight(String path, String origin, String method, String headers) {
        MemoryExchange ex = new MemoryExchange("OPTIONS", path, null);
        if (origin != null) {
            ex.header("Origin", origin);
        }
        if (method != null) {
            ex.header("Access-Control-Request-Method", method);
        }
        if (headers != null) {
            ex.header("Access-Control-Request-Headers", headers);
        }
        return ex;
    }

    @Test
    void preflightsAreAnsweredBeforeAuthentication() throws Exception {
        MemoryExchange ok = run(preflight("/uploads/user/a?uploads", "https://cdn.example.org", "PUT",
                "Content-Type, X-Amz-Date"));
        assertEquals(200, ok.status(), ok.responseText());
        assertEquals("https://cdn.example.org", ok.responseHeader("Access-Control-Allow-Origin"));
        assertEquals("true", ok.responseHeader("Access-Control-Allow-Credentials"));
        assertEquals("GET, PUT, POST", ok.responseHeader("Access-Control-Allow-Methods"));
        assertEquals("content-type, x-amz-date", ok.responseHeader("Access-Control-Allow-Headers"));
        assertEquals("600", ok.responseHeader("Access-Control-Max-Age"));
        assertEquals(Cors.VARY, ok.responseHeader("Vary"));

        String[][] refused = {
            {"https://evil.example.com", "PUT", null, "AccessForbidden"},
            {"https://app.example.com", "DELETE", null, "AccessForbidden"},
            {"https://app.example.com", "PUT", "x-custom", "AccessForbidden"},
            {null, "PUT", null, "BadRequest"},
            {"https://app.example.com", "PATCH", null, "BadRequest"},
        };
        for (String[] r : refused) {
            MemoryExchange ex = run(preflight("/uploads/k", r[0], r[1], r[2]));
            assertEquals(r[3], error(ex), String.join(",", java.util.Arrays.asList(r)));
            assertNull(ex.responseHeader("Access-Control-Allow-Origin"));
        }
        MemoryExchange disabled = run(preflight("/nocors/k", "https://app.example.com", "GET", null));
        assertEquals(403, disabled.status());
        assertTrue(disabled.responseText().contains("CORS is not enabled for this bucket"));
        // a bucket without rules of its own has the gateway's default
        MemoryExchange byDefault = run(preflight("/public/k", "https://anywhere.test", "GET", null));
        assertEquals(200, byDefault.status());
        assertEquals("*", byDefault.responseHeader("Access-Control-Allow-Origin"));
        assertNull(byDefault.responseHeader("Access-Control-Allow-Credentials"));
    }

    @Test
    void responsesAndErrorsCarryTheHeaders() throws Exception {
        // an anonymous GET of a private bucket fails, and the page can still read why
        MemoryExchange denied = run(new MemoryExchange("GET", "/uploads/user/x", null)
                .header("Origin", "https://app.example.com"));
        assertEquals(403, denied.status());
        assertEquals("https://app.example.com", denied.responseHeader("Access-Control-Allow-Origin"));
        assertEquals("ETag", denied.responseHeader("Access-Control-Expose-Headers"));
        assertEquals(Cors.VARY, denied.responseHeader("Vary"));
        // a signature failure too
        MemoryExchange forged = Signer.signed(Signer.ACCESS_KEY, "wrong", "GET", "/uploads/user/x", Map.of(),
                Map.of(), null).header("Origin", "https://app.example.com");
        run(forged);
        assertEquals("SignatureDoesNotMatch", error(forged));
        assertEquals("https://app.example.com", forged.responseHeader("Access-Control-Allow-Origin"));
        // a 304 too
        store.putBytes("user/cached", "x".getBytes(StandardCharsets.UTF_8), io.multistore.api.backend.ObjectAttributes.NONE);
        MemoryExchange notModified = Signer.signed("GET", "/uploads/user/cached", Map.of(),
                Map.of("If-None-Match", MemoryStore.etag("x".getBytes(StandardCharsets.UTF_8))), null)
                .header("Origin", "https://app.example.com");
        run(notModified);
        assertEquals(304, notModified.status(), notModified.responseText());
        assertEquals("https://app.example.com", notModified.responseHeader("Access-Control-Allow-Origin"));
        assertEquals(Cors.VARY, notModified.responseHeader("Vary"));
        // an origin no rule allows gets no CORS headers, only Vary
        MemoryExchange other = run(new MemoryExchange("GET", "/uploads/user/x", null)
                .header("Origin", "https://evil.example.com"));
        assertNull(other.responseHeader("Access-Control-Allow-Origin"));
        assertEquals(Cors.VARY, other.responseHeader("Vary"));
        // a bucket with CORS switched off sends nothing
        MemoryExchange off = run(new MemoryExchange("GET", "/nocors/x", null).header("Origin", "https://a.test"));
        assertNull(off.responseHeader("Access-Control-Allow-Origin"));
        assertNull(off.responseHeader("Vary"));
    }

    @Test
    void getBucketCorsShowsTheRulesInForce() throws Exception {
        MemoryExchange ex = run(Signer.signed("GET", "/uploads", Map.of("cors", ""), Map.of(), null));
        assertEquals(200, ex.status(), ex.responseText());
        assertTrue(ex.responseText().contains("<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<CORSRule><ID>app</ID><AllowedHeader>x-amz-*</AllowedHeader><AllowedHeader>content-type"
                + "</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>"
                + "<AllowedMethod>POST</AllowedMethod><AllowedOrigin>https://app.example.com</AllowedOrigin>"
                + "<AllowedOrigin>https://*.example.org</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>"
                + "<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>"), ex.responseText());
        MemoryExchange none = run(new MemoryExchange("GET", "/nocors", "cors"));
        assertEquals("NoSuchCORSConfiguration", error(none), none.responseText());
        assertEquals(404, none.status());
        MemoryExchange put = run(Signer.signed("PUT", "/uploads", Map.of("cors", ""), Map.of(), new byte[0]));
        assertEquals("NotImplemented", error(put));
        MemoryExchange delete = run(Signer.signed("DELETE", "/uploads", Map.of("cors", ""), Map.of(), null));
        assertEquals("NotImplemented", error(delete));
    }

    @Test
    void wildcardsMatchOneRunOfCharacters() {
        assertTrue(Cors.wildcard("https://*.example.com", "https://a.b.example.com"));
        assertFalse(Cors.wildcard("https://*.example.com", "https://example.com"));
        assertTrue(Cors.wildcard("*", "null"));
        assertTrue(Cors.wildcard("X-Amz-*", "x-amz-date"));
        assertFalse(Cors.wildcard("http://a.test", "http://a.test.evil"));
    }
}
