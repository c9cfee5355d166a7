package io.multistore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.config.ConfigProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the gateway must never do: leak past a scope, touch a backend before authorizing, lose a key's bytes. */
class GatewayHardeningTest {

    static final String SCOPED_KEY = "AKIDSCOPED";
    static final String SCOPED_SECRET = "scoped-secret-0000000000000000000000000";
    static final String READER_KEY = "AKIDREADER";
    static final String READER_SECRET = "reader-secret-0000000000000000000000000";

    static final BucketConfig DATA = new BucketConfig("data", "mem", "", false, List.of(), Map.of());
    static final BucketConfig PREFIXED = new BucketConfig("prefixed", "mem", "v2", false, List.of(), Map.of());
    static final BucketConfig FEDERATED = new BucketConfig("federated", "mem", "", false, List.of(),
            Map.of("auth_type", "oidc", "oidc_role_arn", "arn:aws:iam::123456789012:role/r"));

    final MemoryStore store = new MemoryStore();
    final AtomicInteger opens = new AtomicInteger();
    final Plugins plugins = new Plugins();
    final StoreCache stores = new StoreCache();
    final Backend backend = bucket -> {
        opens.incrementAndGet();
        return store;
    };
    S3Gateway gateway;

    final ConfigProvider provider = new ConfigProvider() {
        @Override
        public Optional<BucketConfig> bucket(String name) {
            return buckets().stream().filter(b -> b.name().equals(name)).findFirst();
        }

        @Override
        public List<BucketConfig> buckets() {
            return List.of(DATA, PREFIXED, FEDERATED);
        }

        @Override
        public Optional<RoleConfig> role(String roleId) {
            return Optional.empty();
        }

        @Override
        public Optional<StoredCredential> credential(String accessKeyId) {
            return switch (accessKeyId) {
                case Signer.ACCESS_KEY -> Optional.of(new StoredCredential(Signer.ACCESS_KEY, Signer.SECRET_KEY,
                        "admin", null, null, true,
                        List.of(new AccessScope("*", List.of(), EnumSet.allOf(Action.class)))));
                // 'data' without a trailing slash: the key itself and what lies under data/, nothing else
                case SCOPED_KEY -> Optional.of(new StoredCredential(SCOPED_KEY, SCOPED_SECRET, "scoped", null, null,
                        true, List.of(new AccessScope("data", List.of("data"), EnumSet.of(Action.LIST_BUCKET,
                                Action.GET_OBJECT, Action.DELETE_OBJECT, Action.LIST_MULTIPART_UPLOADS)))));
                case READER_KEY -> Optional.of(new StoredCredential(READER_KEY, READER_SECRET, "reader", null, null,
                        true, List.of(new AccessScope("*", List.of(), EnumSet.of(Action.GET_OBJECT,
                                Action.LIST_BUCKET)))));
                default -> Optional.empty();
            };
        }
    };

    @BeforeEach
    void setUp() {
        plugins.setConfigProvider(provider);
        plugins.addBackend(backend, "mem", 0, 1);
        gateway = new S3Gateway(new GatewaySettings("", 1024 * 1024, 64 * 1024), plugins, stores,
                Clock.systemUTC());
        for (String k : List.of("data", "data/a", "data/sub/b", "data-private/secret", "database/x", "zeta")) {
            store.putBytes(k, bytes(k), ObjectAttributes.NONE);
        }
    }

    MemoryExchange run(MemoryExchange ex) throws IOException {
        gateway.handle(ex);
        return ex;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static MemoryExchange as(String key, String secret, String method, String path, Map<String, String> query,
            byte[] body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return Signer.signed(key, secret, method, path, query, h, body);
    }

    static MemoryExchange scoped(String method, String path, Map<String, String> query) {
        return as(SCOPED_KEY, SCOPED_SECRET, method, path, query, null);
    }

    static MemoryExchange admin(String method, String path, Map<String, String> query, byte[] body,
            String... headers) {
        return as(Signer.ACCESS_KEY, Signer.SECRET_KEY, method, path, query, body, headers);
    }

    static List<String> all(String xml, String element) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    // ------------------------------------------------------------------ listings stay inside the scope

    @Test
    void listingV2ShowsOnlyKeysInsideTheScope() throws IOException {
        MemoryExchange ex = run(scoped("GET", "/data", Map.of("list-type", "2", "prefix", "data")));
        assertEquals(200, ex.status(), ex.responseText());
        assertEquals(List.of("data", "data/a", "data/sub/b"), all(ex.responseText(), "Key"));
        assertTrue(ex.responseText().contains("<KeyCount>3</KeyCount>"), ex.responseText());
    }

    @Test
    void listingV1WithDelimiterShowsOnlyPrefixesInsideTheScope() throws IOException {
        MemoryExchange ex = run(scoped("GET", "/data", Map.of("prefix", "data", "delimiter", "/")));
        assertEquals(200, ex.status(), ex.responseText());
        assertEquals(List.of("data"), all(ex.responseText(), "Key"));
        // data/ is inside, data-private/ and database/ are not
        assertEquals(List.of("data/"), all(ex.responseText(), "Prefix").subList(1, 2));
        assertEquals(2, all(ex.responseText(), "Prefix").size(), ex.responseText());
    }

    @Test
    void hiddenEntriesNeverStallPaging() throws IOException {
        // one key per page: the pages holding data-private/ and database/ come back empty but still continue
        List<String> seen = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 10; page++) {
            Map<String, String> q = new LinkedHashMap<>(Map.of("list-type", "2", "prefix", "data", "max-keys", "1"));
            if (token != null) {
                q.put("continuation-token", token);
            }
            String xml = run(scoped("GET", "/data", q)).responseText();
            seen.addAll(all(xml, "Key"));
            List<String> next = all(xml, "NextContinuationToken");
            if (next.isEmpty()) {
                break;
            }
            token = next.get(0);
        }
        assertEquals(List.of("data", "data/a", "data/sub/b"), seen);
    }

    @Test
    void pagingNeverNamesAHiddenKey() throws IOException {
        for (String v : List.of("1", "2")) {
            String token = null;
            String marker = null;
            for (int page = 0; page < 10; page++) {
                Map<String, String> q = new LinkedHashMap<>(Map.of("prefix", "data", "max-keys", "1"));
                if (v.equals("2")) {
                    q.put("list-type", "2");
                }
                if (token != null) {
                    q.put("continuation-token", token);
                }
                if (marker != null) {
                    q.put("marker", marker);
                }
                String xml = run(scoped("GET", "/data", q)).responseText();
                for (String t : all(xml, "NextContinuationToken")) {
                    String decoded = new String(java.util.Base64.getUrlDecoder().decode(t), StandardCharsets.UTF_8);
                    assertFalse(decoded.contains("private") || decoded.contains("database"), decoded);
                }
                assertFalse(xml.contains("private") || xml.contains("database"), xml);
                List<String> keys = all(xml, "Key");
                if (!xml.contains("<IsTruncated>true")) {
                    break;
                }
                token = all(xml, "NextContinuationToken").stream().findFirst().orElse(null);
                marker = all(xml, "NextMarker").stream().findFirst().orElse(keys.isEmpty() ? null
                        : keys.get(keys.size() - 1));
            }
        }
    }

    @Test
    void multipartUploadListingStaysInsideTheScope() throws IOException {
        store.createMultipartUpload("data/up", ObjectAttributes.NONE);
        store.createMultipartUpload("data-private/up", ObjectAttributes.NONE);
        MemoryExchange ex = run(scoped("GET", "/data", Map.of("uploads", "", "prefix", "data")));
        assertEquals(200, ex.status(), ex.responseText());
        assertEquals(List.of("data/up"), all(ex.responseText(), "Key"));
    }

    @Test
    void listingOutsideTheScopeIsDenied() throws IOException {
        MemoryExchange ex = run(scoped("GET", "/data", Map.of("list-type", "2", "prefix", "zeta")));
        assertEquals(403, ex.status());
    }

    // ------------------------------------------------------------------ authorize before the backend

    @Test
    void deniedCallersNeverOpenAStore() throws IOException {
        assertEquals(403, run(scoped("GET", "/data/zeta", Map.of())).status());
        assertEquals(403, run(scoped("PUT", "/data/data/new", Map.of())).status());
        assertEquals(403, run(GatewayTest.anon("GET", "/data/data/a", null)).status());
        assertEquals(403, run(GatewayTest.anon("PUT", "/prefixed", null)).status());
        assertEquals(403, run(as(READER_KEY, READER_SECRET, "POST", "/data", Map.of("delete", ""),
                bytes("<Delete><Object><Key>zeta</Key></Object></Delete>"))).status());
        assertEquals(403, run(as(READER_KEY, READER_SECRET, "PUT", "/data/copy", Map.of(), null,
                "x-amz-copy-source", "/data/zeta")).status());
        assertEquals(0, opens.get(), "a store was opened for a request that was then denied");
    }

    @Test
    void copyNeedsReadOfTheSourceAndWriteOfTheTarget() throws IOException {
        MemoryExchange ex = run(scoped("PUT", "/data/data/copy", Map.of()));
        assertEquals(403, ex.status());
        MemoryExchange copy = run(admin("PUT", "/data/copy-of-zeta", Map.of(), null, "x-amz-copy-source",
                "data/zeta"));
        assertEquals(200, copy.status(), copy.responseText());
        assertTrue(store.objects.containsKey("copy-of-zeta"));
    }

    @Test
    void deleteObjectsChecksEachKey() throws IOException {
        String body = "<Delete><Object><Key>data/a</Key></Object><Object><Key>zeta</Key></Object></Delete>";
        MemoryExchange ex = run(as(SCOPED_KEY, SCOPED_SECRET, "POST", "/data", Map.of("delete", ""),
                bytes(body)));
        assertEquals(200, ex.status(), ex.responseText());
        assertTrue(ex.responseText().contains("<Deleted><Key>data/a</Key></Deleted>"), ex.responseText());
        assertTrue(ex.responseText().contains("<Error><Key>zeta</Key><Code>AccessDenied</Code>"),
                ex.responseText());
        assertFalse(store.objects.containsKey("data/a"));
        assertTrue(store.objects.containsKey("zeta"));
    }

    @Test
    void deleteObjectsKeysAreByteExact() throws IOException {
        store.putBytes(" padded ", bytes("p"), ObjectAttributes.NONE);
        store.putBytes("padded", bytes("q"), ObjectAttributes.NONE);
        String body = "<Delete><Object><Key> padded </Key></Object></Delete>";
        MemoryExchange ex = run(admin("POST", "/data", Map.of("delete", ""), bytes(body)));
        assertTrue(ex.responseText().contains("<Deleted><Key> padded </Key></Deleted>"), ex.responseText());
        assertFalse(store.objects.containsKey(" padded "));
        assertTrue(store.objects.containsKey("padded"), "the trimmed key must survive");
    }

    // ------------------------------------------------------------------ multistore compatibility

    @Test
    void backendPrefixIsJoinedWithOneSlash() throws IOException {
        MemoryExchange put = run(admin("PUT", "/prefixed/models/a.pt", Map.of(), bytes("weights")));
        assertEquals(200, put.status(), put.responseText());
        assertTrue(store.objects.containsKey("v2/models/a.pt"), store.objects.keySet()::toString);
        MemoryExchange list = run(admin("GET", "/prefixed", Map.of("list-type", "2"), null));
        assertEquals(List.of("models/a.pt"), all(list.responseText(), "Key"));
        assertEquals("v2/", new BucketConfig("b", "s3", "v2//", false, null, null).backendPrefix());
        assertEquals("", new BucketConfig("b", "s3", "/", false, null, null).backendPrefix());
    }

    @Test
    void completeMultipartUploadHonoursConditions() throws IOException {
        String id = store.createMultipartUpload("data/a", ObjectAttributes.NONE);
        MemoryExchange part = run(admin("PUT", "/data/data/a", Map.of("uploadId", id, "partNumber", "1"),
                bytes("part")));
        String etag = part.responseHeader("ETag");
        String body = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + etag
                + "</ETag></Part></CompleteMultipartUpload>";
        MemoryExchange exists = run(admin("POST", "/data/data/a", Map.of("uploadId", id), bytes(body),
                "If-None-Match", "*"));
        assertEquals(412, exists.status(), exists.responseText());
        MemoryExchange wrong = run(admin("POST", "/data/data/a", Map.of("uploadId", id), bytes(body),
                "If-Match", "\"0123\""));
        assertEquals(412, wrong.status(), wrong.responseText());
        assertEquals("data/a", new String(store.objects.get("data/a").data(), StandardCharsets.UTF_8));
        String current = store.objects.get("data/a").meta().etag();
        MemoryExchange right = run(admin("POST", "/data/data/a", Map.of("uploadId", id), bytes(body),
                "If-Match", current));
        assertEquals(200, right.status(), right.responseText());
        assertEquals("part", new String(store.objects.get("data/a").data(), StandardCharsets.UTF_8));
    }

    @Test
    void oidcBackendAuthOnABackendThatCannotTakeItIs503NamingIt() throws IOException {
        MemoryExchange ex = run(admin("GET", "/federated/k", Map.of(), null));
        assertEquals(503, ex.status());
        assertTrue(ex.responseText().contains("auth_type 'oidc'"), ex.responseText());
        assertTrue(ex.responseText().contains("backend_type 'mem' does not support"), ex.responseText());
        assertEquals(0, opens.get(), "must never fall back to the backend's default credentials");
    }

    @Test
    void oidcBackendAuthOnABackendThatTakesItReachesTheBackend() throws IOException {
        Backend federating = new Backend() {
            @Override
            public ObjectStore open(BucketConfig bucket) {
                opens.incrementAndGet();
                return store;
            }

            @Override
            public java.util.Set<String> optionNames() {
                return java.util.Set.of("auth_type", "oidc_role_arn");
            }
        };
        plugins.addBackend(federating, "mem", 10, 2);
        MemoryExchange ex = run(admin("GET", "/federated/zeta", Map.of(), null));
        assertEquals(200, ex.status(), ex.responseText());
        assertEquals(1, opens.get(), "the backend asks its credential source itself");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void backendFailureBeforeTheFirstByteIsAnS3Error() throws IOException {
        MemoryStore failing = new MemoryStore() {
            @Override
            public ObjectContent get(String key, ByteRange range, Preconditions conditions) {
                InputStream in = new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset by 10.0.0.7:9000");
                    }
                };
                return new ObjectContent(new ObjectMeta(key, 10, "\"e\"", Instant.EPOCH, null), in, null);
            }
        };
        plugins.addBackend(b -> failing, "mem", 10, 2);
        MemoryExchange ex = run(admin("GET", "/data/zeta", Map.of(), null));
        assertEquals(503, ex.status());
        assertTrue(ex.responseText().contains("<Code>ServiceUnavailable</Code>"), ex.responseText());
        assertTrue(ex.responseText().contains("<RequestId>" + ex.responseHeader("x-amz-request-id")),
                ex.responseText());
        assertFalse(ex.responseText().contains("10.0.0.7"), ex.responseText());
    }

    @Test
    void misconfiguredBucketIsAGeneric503AndOpenedOnlyOnceForAWhile() throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        plugins.addBackend(b -> {
            attempts.incrementAndGet();
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, "bucket_name missing for endpoint "
                    + "http://10.1.2.3:9000 with key AKIAEXAMPLE");
        }, "mem", 10, 2);
        for (int i = 0; i < 3; i++) {
            MemoryExchange ex = run(admin("GET", "/data/zeta", Map.of(), null));
            assertEquals(503, ex.status());
            assertFalse(ex.responseText().contains("10.1.2.3"), ex.responseText());
            assertFalse(ex.responseText().contains("AKIAEXAMPLE"), ex.responseText());
        }
        assertEquals(1, attempts.get());
    }

    @Test
    void detailNeverReachesTheClient() {
        S3Exception e = new S3Exception(S3ErrorCode.NoSuchBucket, "The specified bucket does not exist.", "b",
                "directory /srv/data/b is missing", null);
        byte[] doc = S3Gateway.errorDocument(e, "/b", "0123456789ABCDEF");
        String xml = new String(doc, StandardCharsets.UTF_8);
        assertFalse(xml.contains("/srv/data"), xml);
        assertTrue(e.getMessage().contains("/srv/data"), "the log keeps the detail");
    }

    @Test
    void bucketConfigPrintsSecretsRedacted() {
        BucketConfig b = new BucketConfig("b", "s3", "", false, List.of(), Map.of("endpoint", "http://e",
                "secret_access_key", "SECRET-VALUE", "access_key_id", "AKIAKEYID", "sas_token", "sv=2020&sig=x"));
        String printed = b.toString();
        assertTrue(printed.contains("http://e"), printed);
        assertFalse(printed.contains("SECRET-VALUE"), printed);
        assertFalse(printed.contains("AKIAKEYID"), printed);
        assertFalse(printed.contains("sig=x"), printed);
    }

    // ------------------------------------------------------------------ observing requests

    @Test
    void listenersSeeEveryCompletedRequestAndABrokenOneHurtsNothing() throws IOException {
        List<io.multistore.api.observe.CompletedRequest> seen = new ArrayList<>();
        plugins.addListener(r -> {
            throw new IllegalStateException("broken listener");
        });
        plugins.addListener(seen::add);
        MemoryExchange put = run(admin("PUT", "/data/obs/k", Map.of(), bytes("12345")));
        assertEquals(200, put.status());
        MemoryExchange get = run(admin("GET", "/data/obs/k", Map.of(), null));
        assertEquals("12345", get.responseText());
        assertTrue(get.responseHeader("Server-Timing").matches("total;dur=\\d+, backend;dur=\\d+"),
                get.responseHeader("Server-Timing"));
        MemoryExchange denied = run(scoped("GET", "/data/zeta", Map.of()));
        assertEquals(403, denied.status());
        assertTrue(denied.responseHeader("Server-Timing").startsWith("total;dur="));

        assertEquals(3, seen.size());
        var p = seen.get(0);
        assertEquals(List.of("PutObject", "data", "obs/k", "admin", 200, 5L),
                List.of(p.operation(), p.bucket(), p.key(), p.principal(), p.status(), p.bytesIn()));
        var g = seen.get(1);
        assertEquals(List.of("GetObject", 200, 5L, get.responseHeader("x-amz-request-id")),
                List.of(g.operation(), g.status(), g.bytesOut(), g.requestId()));
        assertTrue(g.totalNanos() >= g.firstByteNanos() && g.backendNanos() > 0 && g.started() != null);
        var d = seen.get(2);
        assertEquals(List.of("GetObject", 403, "AccessDenied", "scoped", 0L),
                List.of(d.operation(), d.status(), d.errorCode(), d.principal(), d.backendNanos()));
    }

    @Test
    void everyStartedRequestIsCompletedOnTheSameListeners() throws IOException {
        List<String> events = new ArrayList<>();
        io.multistore.api.observe.RequestListener late = new io.multistore.api.observe.RequestListener() {
            @Override
            public void started(String requestId, String method) {
                events.add("late started " + requestId);
            }

            @Override
            public void completed(io.multistore.api.observe.CompletedRequest request) {
                events.add("late completed " + request.requestId());
            }
        };
        plugins.addListener(new io.multistore.api.observe.RequestListener() {
            @Override
            public void started(String requestId, String method) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void completed(io.multistore.api.observe.CompletedRequest request) {
            }
        });
        plugins.addListener(new io.multistore.api.observe.RequestListener() {
            @Override
            public void started(String requestId, String method) {
                events.add("started " + requestId + " " + method);
                // bound while this request is under way: it must see neither call for it
                plugins.addListener(late);
            }

            @Override
            public void completed(io.multistore.api.observe.CompletedRequest request) {
                events.add("completed " + request.requestId() + " " + request.status());
            }
        });
        MemoryExchange put = run(admin("PUT", "/data/obs/k", Map.of(), bytes("12345")));
        assertEquals(200, put.status());
        String id = put.responseHeader("x-amz-request-id");
        assertEquals(List.of("started " + id + " PUT", "completed " + id + " 200"), events);

        events.clear();
        plugins.removeListener(late);
        MemoryExchange refused = admin("GET", "/data/obs/k", Map.of(), null);
        gateway.reject(refused, new S3Exception(S3ErrorCode.InvalidArgument, "refused by the container"));
        String refusedId = refused.responseHeader("x-amz-request-id");
        assertEquals(List.of("started " + refusedId + " GET", "completed " + refusedId + " 400"), events);
    }

    // ------------------------------------------------------------------ plugin updates

    @Test
    void aBackendUpdateFailsNoRequestWithinTheGraceTime() throws Exception {
        S3Gateway graceful = new S3Gateway(new GatewaySettings("", 1024 * 1024, 64 * 1024,
                java.time.Duration.ofSeconds(10)), plugins, stores, Clock.systemUTC());
        plugins.removeBackend(backend);
        stores.retireBackend(backend);
        java.util.concurrent.CompletableFuture<MemoryExchange> during = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    MemoryExchange ex = admin("GET", "/data/zeta", Map.of(), null);
                    try {
                        graceful.handle(ex);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return ex;
                });
        Thread.sleep(300);
        assertFalse(during.isDone(), "the request waits for the replacement");
        Backend replacement = bucket -> store;
        plugins.addBackend(replacement, "mem", 0, 7);
        MemoryExchange ex = during.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, ex.status(), ex.responseText());
        assertEquals("zeta", ex.responseText());
    }

    @Test
    void aBackendThatStaysAwayFailsAfterTheGraceTime() throws IOException {
        S3Gateway graceful = new S3Gateway(new GatewaySettings("", 1024 * 1024, 64 * 1024,
                java.time.Duration.ofMillis(200)), plugins, stores, Clock.systemUTC());
        plugins.removeBackend(backend);
        long start = System.nanoTime();
        MemoryExchange ex = admin("GET", "/data/zeta", Map.of(), null);
        graceful.handle(ex);
        assertEquals(503, ex.status());
        assertTrue(System.nanoTime() - start >= 150_000_000L, "waited for the grace time");
        // past the grace time a missing type fails at once
        long again = System.nanoTime();
        MemoryExchange later = admin("GET", "/data/zeta", Map.of(), null);
        graceful.handle(later);
        assertEquals(503, later.status());
        assertTrue(System.nanoTime() - again < 150_000_000L, "no second wait");
    }
}
