package io.multistore.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.multistore.api.backend.Preconditions;
import io.multistore.api.config.ConfigProvider;
import io.multistore.core.internal.auth.PayloadException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayTest {

    static final BucketConfig PUBLIC = new BucketConfig("public", "mem", "tenant/", true, List.of(), Map.of());
    static final BucketConfig PRIVATE = new BucketConfig("private", "mem", "", false, List.of(),
            Map.of("region", "eu-west-1"));
    static final BucketConfig ORPHAN = new BucketConfig("orphan", "fs", "", false, List.of(), Map.of());

    final MemoryStore publicStore = new MemoryStore();
    final MemoryStore privateStore = new MemoryStore();
    final AtomicInteger opens = new AtomicInteger();
    final Plugins plugins = new Plugins();
    final StoreCache stores = new StoreCache();
    S3Gateway gateway;

    final Backend backend = bucket -> {
        opens.incrementAndGet();
        return bucket.name().equals("public") ? publicStore : privateStore;
    };

    final ConfigProvider provider = new ConfigProvider() {
        @Override
        public Optional<BucketConfig> bucket(String name) {
            return buckets().stream().filter(b -> b.name().equals(name)).findFirst();
        }

        @Override
        public List<BucketConfig> buckets() {
            return List.of(PUBLIC, PRIVATE, ORPHAN);
        }

        @Override
        public Optional<RoleConfig> role(String roleId) {
            return Optional.empty();
        }

        @Override
        public Optional<StoredCredential> credential(String accessKeyId) {
            if (!accessKeyId.equals(Signer.ACCESS_KEY)) {
                return Optional.empty();
            }
            return Optional.of(new StoredCredential(Signer.ACCESS_KEY, Signer.SECRET_KEY, "alice", null, null, true,
                    List.of(new AccessScope("*", List.of(), EnumSet.allOf(Action.class)))));
        }
    };

    @BeforeEach
    void setUp() {
        plugins.setConfigProvider(provider);
        plugins.addBackend(backend, "mem", 0, 1);
        gateway = new S3Gateway(new GatewaySettings("s3.example.com", 1024 * 1024, 4096), plugins, stores,
                Clock.systemUTC());
    }

    MemoryExchange run(MemoryExchange ex) throws IOException {
        gateway.handle(ex);
        return ex;
    }

    static MemoryExchange anon(String method, String path, String query) {
        return new MemoryExchange(method, path, query);
    }

    static MemoryExchange signed(String method, String path, Map<String, String> query, byte[] body,
            String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return Signer.signed(method, path, query, h, body);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void assertRequestId(MemoryExchange ex) {
        String id = ex.responseHeader("x-amz-request-id");
        assertTrue(id != null && id.matches("[0-9A-F]{16}"), "request id " + id);
        assertTrue(ex.responseHeader("x-amz-id-2") != null);
    }

    @Test
    void putThenGetStreamsBodyWithHeaders() throws IOException {
        MemoryExchange put = run(signed("PUT", "/public/dir/a%20b+c.txt", Map.of(), bytes("hello world"),
                "Content-Type", "text/plain", "x-amz-meta-Color", "blue", "Cache-Control", "no-cache"));
        assertEquals(200, put.status(), put.responseText());
        assertRequestId(put);
        assertEquals(MemoryStore.etag(bytes("hello world")), put.responseHeader("ETag"));
        // backend_prefix applied; '+' in a path is a literal plus
        assertTrue(publicStore.objects.containsKey("tenant/dir/a b+c.txt"), publicStore.objects.keySet()::toString);
        assertEquals("blue", publicStore.objects.get("tenant/dir/a b+c.txt").meta().attributes().userMetadata()
                .get("color"));

        MemoryExchange get = run(anon("GET", "/public/dir/a%20b+c.txt", null));
        assertEquals(200, get.status());
        assertEquals("hello world", get.responseText());
        assertEquals("11", get.responseHeader("Content-Length"));
        assertEquals("text/plain", get.responseHeader("Content-Type"));
        assertEquals("blue", get.responseHeader("x-amz-meta-color"));
        assertEquals("no-cache", get.responseHeader("Cache-Control"));
        assertEquals("bytes", get.responseHeader("Accept-Ranges"));
        assertEquals("Wed, 01 May 2024 10:00:00 GMT", get.responseHeader("Last-Modified"));
        assertRequestId(get);
    }

    @Test
    void defaultContentTypeIsS3s() throws IOException {
        publicStore.putBytes("tenant/k", bytes("x"), ObjectAttributes.NONE);
        assertEquals("binary/octet-stream", run(anon("GET", "/public/k", null)).responseHeader("Content-Type"));
    }

    @Test
    void largeObjectStreamsCompletely() throws IOException {
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        publicStore.putBytes("tenant/big", big, ObjectAttributes.NONE);
        assertArrayEquals(big, run(anon("GET", "/public/big", null)).responseBytes());
    }

    @Test
    void rangeGetAnswers206() throws IOException {
        publicStore.putBytes("tenant/r", bytes("0123456789"), ObjectAttributes.NONE);
        MemoryExchange ex = run(anon("GET", "/public/r", null).header("Range", "bytes=2-5"));
        assertEquals(206, ex.status());
        assertEquals("2345", ex.responseText());
        assertEquals("bytes 2-5/10", ex.responseHeader("Content-Range"));
        assertEquals("4", ex.responseHeader("Content-Length"));

        MemoryExchange bad = run(anon("GET", "/public/r", null).header("Range", "bytes=20-"));
        assertEquals(416, bad.status());
        assertTrue(bad.responseText().contains("<Code>InvalidRange</Code>"));

        MemoryExchange head = run(anon("HEAD", "/public/r", null).header("Range", "bytes=-3"));
        assertEquals(206, head.status());
        assertEquals("3", head.responseHeader("Content-Length"));
        assertEquals("bytes 7-9/10", head.responseHeader("Content-Range"));
    }

    @Test
    void conditionalGetAnswers304WithValidatorsAndNoBody() throws IOException {
        publicStore.putBytes("tenant/c", bytes("abc"), ObjectAttributes.NONE);
        String etag = MemoryStore.etag(bytes("abc"));
        MemoryExchange ex = run(anon("GET", "/public/c", null).header("If-None-Match", etag));
        assertEquals(304, ex.status());
        assertEquals(0, ex.responseBytes().length);
        assertEquals(etag, ex.responseHeader("ETag"));
        assertEquals("Wed, 01 May 2024 10:00:00 GMT", ex.responseHeader("Last-Modified"));

        MemoryExchange since = run(anon("GET", "/public/c", null).header("If-Modified-Since",
                "Wednesday, 01-May-24 10:00:00 GMT"));
        assertEquals(304, since.status());

        MemoryExchange failed = run(anon("GET", "/public/c", null).header("If-Match", "\"other\""));
        assertEquals(412, failed.status());
        assertTrue(failed.responseText().contains("<Code>PreconditionFailed</Code>"));

        MemoryExchange invalidDate = run(anon("GET", "/public/c", null).header("If-Modified-Since", "yesterday"));
        assertEquals(200, invalidDate.status());
    }

    @Test
    void headErrorsHaveNoBody() throws IOException {
        MemoryExchange ex = run(anon("HEAD", "/public/missing", null));
        assertEquals(404, ex.status());
        assertEquals(0, ex.responseBytes().length);
        assertRequestId(ex);
    }

    @Test
    void missingKeyIsNoSuchKeyDocument() throws IOException {
        MemoryExchange ex = run(anon("GET", "/public/missing", null));
        assertEquals(404, ex.status());
        String body = ex.responseText();
        assertTrue(body.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), body);
        assertTrue(body.contains("<Code>NoSuchKey</Code>"), body);
        assertTrue(body.contains("<RequestId>" + ex.responseHeader("x-amz-request-id") + "</RequestId>"), body);
        assertEquals("application/xml", ex.responseHeader("Content-Type"));
    }

    @Test
    void unknownBucketIsNoSuchBucket() throws IOException {
        MemoryExchange ex = run(anon("GET", "/nope/key", null));
        assertEquals(404, ex.status());
        assertTrue(ex.responseText().contains("<Code>NoSuchBucket</Code>"));
    }

    @Test
    void anonymousOnPrivateBucketIsDenied() throws IOException {
        privateStore.putBytes("k", bytes("secret"), ObjectAttributes.NONE);
        MemoryExchange ex = run(anon("GET", "/private/k", null));
        assertEquals(403, ex.status());
        assertTrue(ex.responseText().contains("<Code>AccessDenied</Code>"));
        assertFalse(ex.responseText().contains("secret"));

        assertEquals(403, run(anon("PUT", "/public/k", null).body(bytes("x"))).status());
        assertFalse(publicStore.objects.containsKey("tenant/k"));
    }

    @Test
    void missingBackendNamesTheTypeToTheClient() throws IOException {
        MemoryExchange ex = run(signed("GET", "/orphan/k", Map.of(), null));
        assertEquals(503, ex.status());
        assertTrue(ex.responseText().contains("No backend is installed for backend_type 'fs' (bucket 'orphan')"),
                ex.responseText());
    }

    @Test
    void noConfigProviderIs503() throws IOException {
        plugins.unsetConfigProvider(provider);
        MemoryExchange ex = run(anon("GET", "/public/k", null));
        assertEquals(503, ex.status());
        assertTrue(ex.responseText().contains("<Code>ServiceUnavailable</Code>"));
        assertTrue(ex.responseText().contains("no config provider"));
    }

    @Test
    void brokenConfigProviderIsGeneric503() throws IOException {
        plugins.setConfigProvider(new ConfigProvider() {
            @Override
            public Optional<BucketConfig> bucket(String name) {
                throw new IllegalStateException("jdbc:postgresql://db/secret-password");
            }

            @Override
            public List<BucketConfig> buckets() {
                return List.of();
            }

            @Override
            public Optional<RoleConfig> role(String roleId) {
                return Optional.empty();
            }

            @Override
            public Optional<StoredCredential> credential(String accessKeyId) {
                return Optional.empty();
            }
        });
        MemoryExchange ex = run(anon("GET", "/public/k", null));
        assertEquals(503, ex.status());
        assertFalse(ex.responseText().contains("secret-password"));
        assertTrue(ex.responseText().contains(S3ErrorCode.ServiceUnavailable.defaultMessage()));
    }

    @Test
    void unexpectedFailureIsInternalErrorWithoutDetails() throws IOException {
        publicStore.putBytes("tenant/k", bytes("x"), ObjectAttributes.NONE);
        MemoryStore broken = new MemoryStore() {
            @Override
            public ObjectMeta head(String key, Preconditions conditions) {
                throw new NullPointerException("internal detail");
            }
        };
        plugins.addBackend(b -> broken, "mem", 10, 2);
        MemoryExchange ex = run(anon("HEAD", "/public/k", null));
        assertEquals(500, ex.status());
        MemoryExchange get = run(anon("GET", "/public/x/../k", null));
        assertEquals(400, get.status()); // dot segments are refused before any backend call
    }

    @Test
    void notImplementedSubResourcesNeverReachTheStore() throws IOException {
        publicStore.putBytes("tenant/k", bytes("x"), ObjectAttributes.NONE);
        for (String q : List.of("policy", "tagging", "torrent", "retention")) {
            MemoryExchange ex = run(signed("GET", "/public/k", Map.of(q.split("=")[0],
                    q.contains("=") ? q.split("=")[1] : ""), null));
            assertEquals(501, ex.status(), q);
            assertTrue(ex.responseText().contains("<Code>NotImplemented</Code>"), q);
        }
        assertEquals(501, run(signed("PUT", "/public/k", Map.of("lifecycle", ""), bytes("evil"))).status());
        assertEquals(501, run(signed("DELETE", "/public/k", Map.of("tagging", ""), null)).status());
        assertEquals(501, run(signed("PUT", "/public", Map.of(), null)).status());
        // a bucket on a prefix of a shared backend bucket is never deleted, whatever its backend could do
        assertEquals(400, run(signed("DELETE", "/public", Map.of(), null)).status());
        assertEquals(501, run(signed("DELETE", "/private", Map.of(), null)).status());
        // POST /bucket is a browser form upload, authenticated by its fields and never by a header
        assertEquals(400, run(signed("POST", "/public", Map.of(), bytes("form")))
                .status());
        assertEquals(bytes("x").length, publicStore.objects.get("tenant/k").data().length);
        assertTrue(publicStore.objects.containsKey("tenant/k"));
    }

    @Test
    void aStoreWithoutVersionsAnswersAsANeverVersionedBucket() throws IOException {
        publicStore.putBytes("tenant/a", bytes("x"), ObjectAttributes.NONE);
        publicStore.putBytes("tenant/d/b", bytes("yy"), ObjectAttributes.NONE);
        assertEquals(200, run(signed("GET", "/public/a", Map.of("versionId", "null"), null)).status());
        assertEquals(200, run(signed("HEAD", "/public/a", Map.of("versionId", "null"), null)).status());
        // reading a version is never anonymous, even on a public bucket
        MemoryExchange anonymousVersion = run(anon("GET", "/public/a", "versionId=null"));
        assertEquals(403, anonymousVersion.status());
        assertTrue(anonymousVersion.responseText().contains("<Code>AccessDenied</Code>"));
        assertEquals(200, run(anon("GET", "/public/a", null)).status());
        MemoryExchange invalid = run(signed("GET", "/public/a", Map.of("versionId", "3HL4kqtJlcpXroDTDmJ"), null));
        assertEquals(400, invalid.status());
        assertTrue(invalid.responseText().contains("<Code>InvalidArgument</Code>"), invalid.responseText());
        assertTrue(invalid.responseText().contains("Invalid version id specified"), invalid.responseText());
        MemoryExchange versions = run(signed("GET", "/public", Map.of("versions", "", "delimiter", "/"), null));
        assertEquals(200, versions.status(), versions.responseText());
        String listing = versions.responseText();
        assertTrue(listing.contains("<Version><Key>a</Key><VersionId>null</VersionId><IsLatest>true</IsLatest>"),
                listing);
        assertTrue(listing.contains("<CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes>"), listing);
        MemoryExchange versioning = run(signed("GET", "/public", Map.of("versioning", ""), null));
        assertTrue(versioning.responseText().contains("<VersioningConfiguration xmlns"), versioning.responseText());
        assertFalse(versioning.responseText().contains("<Status>"), versioning.responseText());
        MemoryExchange enable = run(signed("PUT", "/public", Map.of("versioning", ""), bytes(
                "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>")));
        assertEquals(501, enable.status());
        assertTrue(enable.responseText().contains("without object versions"), enable.responseText());
        MemoryExchange malformed = run(signed("PUT", "/public", Map.of("versioning", ""), bytes(
                "<VersioningConfiguration><Status>On</Status></VersioningConfiguration>")));
        assertEquals(400, malformed.status());
        assertEquals(204, run(signed("DELETE", "/public/a", Map.of("versionId", "null"), null)).status());
        assertFalse(publicStore.objects.containsKey("tenant/a"));
    }

    @Test
    void tagsAreRefusedWhereTheStoreCannotKeepThem() throws IOException {
        MemoryExchange put = run(signed("PUT", "/public/t", Map.of(), bytes("x"), "x-amz-tagging", "a=1"));
        assertEquals(501, put.status());
        assertFalse(publicStore.objects.containsKey("tenant/t"));
        MemoryExchange invalid = run(signed("PUT", "/public/t", Map.of(), bytes("x"), "x-amz-tagging", "a=1&a=2"));
        assertEquals(400, invalid.status());
        assertTrue(invalid.responseText().contains("<Code>InvalidTag</Code>"), invalid.responseText());
    }

    @Test
    void responseOverridesNeedASignedRequest() throws IOException {
        publicStore.putBytes("tenant/k", bytes("x"), ObjectAttributes.NONE);
        MemoryExchange anonymous = run(anon("GET", "/public/k", "response-content-type=text/csv"));
        assertEquals(400, anonymous.status());
        MemoryExchange signed = run(signed("GET", "/public/k", Map.of("response-content-type", "text/csv",
                "response-content-disposition", "attachment; filename=\"a.csv\""), null));
        assertEquals(200, signed.status(), signed.responseText());
        assertEquals("text/csv", signed.responseHeader("Content-Type"));
        assertEquals("attachment; filename=\"a.csv\"", signed.responseHeader("Content-Disposition"));
    }

    @Test
    void putRequiresLengthAndRespectsMaximum() throws IOException {
        MemoryExchange noLength = signed("PUT", "/public/k", Map.of(), bytes("abc"));
        noLength.body(new ByteArrayInputStream(bytes("abc")), -1);
        assertEquals(411, run(noLength).status());

        byte[] big = new byte[1024 * 1024 + 1];
        MemoryExchange tooBig = run(signed("PUT", "/public/big", Map.of(), big));
        assertEquals(400, tooBig.status());
        assertTrue(tooBig.responseText().contains("EntityTooLarge"));
        assertFalse(publicStore.objects.containsKey("tenant/big"));
    }

    @Test
    void putHonoursIfNoneMatch() throws IOException {
        publicStore.putBytes("tenant/k", bytes("old"), ObjectAttributes.NONE);
        MemoryExchange ex = run(signed("PUT", "/public/k", Map.of(), bytes("new"), "If-None-Match", "*"));
        assertEquals(412, ex.status());
        assertEquals("old", new String(publicStore.objects.get("tenant/k").data(), StandardCharsets.UTF_8));
    }

    @Test
    void contentEncodingLosesAwsChunked() {
        assertNull(S3Operations.contentEncoding("aws-chunked"));
        assertEquals("gzip", S3Operations.contentEncoding("aws-chunked, gzip"));
        assertEquals("gzip,br", S3Operations.contentEncoding("gzip,aws-chunked,br"));
    }

    @Test
    void bodyFailureWinsOverWhatTheStoreReports() throws IOException {
        S3Exception digest = new S3Exception(S3ErrorCode.BadDigest);
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new PayloadException(digest);
            }
        };
        MemoryExchange ex = signed("PUT", "/public/k", Map.of(), bytes("abc"));
        ex.body(failing, 3);
        run(ex);
        assertEquals(400, ex.status());
        assertTrue(ex.responseText().contains("<Code>BadDigest</Code>"), ex.responseText());
        assertFalse(publicStore.objects.containsKey("tenant/k"));
    }

    @Test
    void backendDyingMidStreamAbortsTheConnection() {
        byte[] data = new byte[200_000];
        MemoryStore dying = new MemoryStore() {
            @Override
            public ObjectContent get(String key, ByteRange range, Preconditions conditions) {
                InputStream in = new InputStream() {
                    int served;

                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (served > 0) {
                            throw new IOException("connection reset by backend");
                        }
                        served = Math.min(len, 1000);
                        return served;
                    }
                };
                return new ObjectContent(new ObjectMeta(key, data.length, "\"e\"", java.time.Instant.EPOCH, null),
                        in, null);
            }
        };
        plugins.addBackend(b -> dying, "mem", 10, 2);
        MemoryExchange ex = anon("GET", "/public/k", null);
        assertThrows(IOException.class, () -> gateway.handle(ex));
        assertEquals("200000", ex.responseHeader("Content-Length"));
        assertEquals(1000, ex.responseBytes().length);
    }

    @Test
    void shortBackendStreamIsNotSuccess() {
        MemoryStore shortStore = new MemoryStore() {
            @Override
            public ObjectContent get(String key, ByteRange range, Preconditions conditions) {
                return new ObjectContent(new ObjectMeta(key, 10, "\"e\"", java.time.Instant.EPOCH, null),
                        new ByteArrayInputStream(bytes("12345")), null);
            }
        };
        plugins.addBackend(b -> shortStore, "mem", 10, 2);
        assertThrows(IOException.class, () -> gateway.handle(anon("GET", "/public/k", null)));
    }

    @Test
    void listBucketsShowsOnlyVisibleBuckets() throws IOException {
        String anonymous = run(anon("GET", "/", null)).responseText();
        assertTrue(anonymous.contains("<Name>public</Name>"));
        assertFalse(anonymous.contains("<Name>private</Name>"));
        assertTrue(anonymous.contains("<ID>anonymous</ID>"));
        String alice = run(signed("GET", "/", Map.of(), null)).responseText();
        assertTrue(alice.contains("<Name>private</Name>"), alice);
        assertTrue(alice.contains("<DisplayName>alice</DisplayName>"), alice);
    }

    @Test
    void listV2StripsPrefixAndPaginatesWithOpaqueTokens() throws IOException {
        for (String k : List.of("a/1", "a/2", "b", "c+d", "e f")) {
            publicStore.putBytes("tenant/" + k, bytes(k), ObjectAttributes.NONE);
        }
        publicStore.putBytes("other/hidden", bytes("no"), ObjectAttributes.NONE);
        MemoryExchange page1 = run(anon("GET", "/public", "list-type=2&delimiter=/&max-keys=2"));
        String xml = page1.responseText();
        assertEquals(200, page1.status(), xml);
        assertTrue(xml.contains("<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>"), xml);
        assertTrue(xml.contains("<Key>b</Key>"), xml);
        assertTrue(xml.contains("<KeyCount>2</KeyCount>"), xml);
        assertTrue(xml.contains("<IsTruncated>true</IsTruncated>"), xml);
        assertFalse(xml.contains("tenant/"), xml);
        String token = between(xml, "<NextContinuationToken>", "</NextContinuationToken>");
        assertEquals("tenant/", publicStore.listRequests.get(0).prefix());

        MemoryExchange page2 = run(anon("GET", "/public", "list-type=2&delimiter=/&max-keys=2&encoding-type=url"
                + "&continuation-token=" + token));
        String xml2 = page2.responseText();
        assertTrue(xml2.contains("<Key>c%2Bd</Key>"), xml2);
        assertTrue(xml2.contains("<Key>e%20f</Key>"), xml2);
        assertTrue(xml2.contains("<IsTruncated>false</IsTruncated>"), xml2);
        assertFalse(xml2.contains("hidden"), xml2);

        assertEquals(400, run(anon("GET", "/public", "list-type=2&continuation-token=%%%")).status());
        assertEquals(400, run(anon("GET", "/public", "list-type=2&continuation-token=bm9wZQ")).status());
        assertEquals(400, run(anon("GET", "/public", "max-keys=ten")).status());
        assertEquals(400, run(anon("GET", "/public", "encoding-type=base64")).status());
    }

    @Test
    void listV1UsesMarkers() throws IOException {
        for (String k : List.of("a/1", "a/2", "b", "c")) {
            publicStore.putBytes("tenant/" + k, bytes(k), ObjectAttributes.NONE);
        }
        String xml = run(anon("GET", "/public", "delimiter=/&max-keys=2")).responseText();
        assertTrue(xml.contains("<NextMarker>b</NextMarker>"), xml);
        assertTrue(xml.contains("<Owner>"), xml);
        String next = run(anon("GET", "/public", "delimiter=/&max-keys=2&marker=b")).responseText();
        assertTrue(next.contains("<Marker>b</Marker>"), next);
        assertTrue(next.contains("<Key>c</Key>"), next);
        assertEquals("tenant/b", publicStore.listRequests.get(1).startAfter());
        String zero = run(anon("GET", "/public", "max-keys=0")).responseText();
        assertTrue(zero.contains("<MaxKeys>0</MaxKeys>") && !zero.contains("<Contents>"), zero);
        assertEquals(2, publicStore.listRequests.size());
    }

    @Test
    void bucketLocationAndHeadBucket() throws IOException {
        String xml = run(signed("GET", "/private", Map.of("location", ""), null)).responseText();
        assertTrue(xml.contains(">eu-west-1</LocationConstraint>"), xml);
        String empty = run(anon("GET", "/public", "location")).responseText();
        assertTrue(empty.contains("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "</LocationConstraint>"), empty);
        assertEquals(200, run(anon("HEAD", "/public", null)).status());
        assertEquals(403, run(anon("HEAD", "/private", null)).status());
    }

    @Test
    void virtualHostedStyle() throws IOException {
        publicStore.putBytes("tenant/dir/k", bytes("vh"), ObjectAttributes.NONE);
        MemoryExchange ex = anon("GET", "/dir/k", null).replaceHeader("Host", "Public.S3.Example.com:8080");
        assertEquals("vh", run(ex).responseText());
    }

    @Test
    void copyWithinBucket() throws IOException {
        publicStore.putBytes("tenant/src", bytes("copy me"), new ObjectAttributes("text/plain", null, null, null,
                null, null, Map.of()));
        MemoryExchange ex = run(signed("PUT", "/public/dst", Map.of(), null, "x-amz-copy-source", "/public/src"));
        assertEquals(200, ex.status(), ex.responseText());
        assertTrue(ex.responseText().contains("<CopyObjectResult"), ex.responseText());
        assertEquals("text/plain", publicStore.objects.get("tenant/dst").meta().attributes().contentType());
        // across buckets: the source is read from its own bucket's store and streamed into the target's
        assertEquals(404, run(signed("PUT", "/public/dst", Map.of(), null, "x-amz-copy-source",
                "/private/src")).status());
        privateStore.putBytes("src", bytes("private bytes"), ObjectAttributes.NONE);
        assertEquals(200, run(signed("PUT", "/public/from-private", Map.of(), null, "x-amz-copy-source",
                "/private/src")).status());
        assertEquals("private bytes", new String(publicStore.objects.get("tenant/from-private").data(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(400, run(signed("PUT", "/public/src", Map.of(), null, "x-amz-copy-source",
                "public/src")).status());
        assertEquals(412, run(signed("PUT", "/public/dst2", Map.of(), null, "x-amz-copy-source", "public/src",
                "x-amz-copy-source-if-none-match", MemoryStore.etag(bytes("copy me")))).status());
    }

    @Test
    void deleteObjectsReportsEachKey() throws IOException {
        publicStore.putBytes("tenant/a", bytes("a"), ObjectAttributes.NONE);
        publicStore.putBytes("tenant/b", bytes("b"), ObjectAttributes.NONE);
        String body = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a</Key></Object>"
                + "<Object><Key>b</Key></Object><Object><Key>x/../y</Key></Object></Delete>";
        MemoryExchange ex = run(signed("POST", "/public", Map.of("delete", ""), bytes(body)));
        String xml = ex.responseText();
        assertEquals(200, ex.status(), xml);
        assertTrue(xml.contains("<Deleted><Key>a</Key></Deleted><Deleted><Key>b</Key></Deleted>"), xml);
        assertTrue(xml.contains("<Error><Key>x/../y</Key><Code>InvalidArgument</Code>"), xml);
        assertTrue(publicStore.objects.isEmpty());

        String quiet = "<Delete><Quiet>true</Quiet><Object><Key>zz</Key></Object></Delete>";
        String q = run(signed("POST", "/public", Map.of("delete", ""), bytes(quiet))).responseText();
        assertFalse(q.contains("<Deleted>"), q);

        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Delete><Object><Key>&e;</Key></Object></Delete>";
        MemoryExchange bad = run(signed("POST", "/public", Map.of("delete", ""), bytes(xxe)));
        assertEquals(400, bad.status());
        assertTrue(bad.responseText().contains("MalformedXML"), bad.responseText());

        MemoryExchange tooLarge = run(signed("POST", "/public", Map.of("delete", ""), new byte[5000]));
        assertTrue(tooLarge.responseText().contains("MalformedXML"), tooLarge.responseText());
    }

    @Test
    void multipartUploadRoundTrip() throws IOException {
        String init = run(signed("POST", "/public/big", Map.of("uploads", ""), null)).responseText();
        String uploadId = between(init, "<UploadId>", "</UploadId>");
        assertTrue(init.contains("<Key>big</Key>"), init);

        MemoryExchange p1 = run(signed("PUT", "/public/big", Map.of("partNumber", "1", "uploadId", uploadId),
                bytes("part-one|")));
        assertEquals(200, p1.status(), p1.responseText());
        MemoryExchange p2 = run(signed("PUT", "/public/big", Map.of("partNumber", "2", "uploadId", uploadId),
                bytes("part-two")));
        assertEquals(400, run(signed("PUT", "/public/big", Map.of("partNumber", "10001", "uploadId", uploadId),
                bytes("x"))).status());

        String parts = run(signed("GET", "/public/big", Map.of("uploadId", uploadId), null)).responseText();
        assertTrue(parts.contains("<PartNumber>2</PartNumber>"), parts);
        String uploads = run(signed("GET", "/public", Map.of("uploads", ""), null)).responseText();
        assertTrue(uploads.contains("<Key>big</Key>") && !uploads.contains("tenant/"), uploads);

        String wrongOrder = "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>x</ETag></Part>"
                + "<Part><PartNumber>1</PartNumber><ETag>y</ETag></Part></CompleteMultipartUpload>";
        assertTrue(run(signed("POST", "/public/big", Map.of("uploadId", uploadId), bytes(wrongOrder)))
                .responseText().contains("InvalidPartOrder"));

        String complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"
                + p1.responseHeader("ETag").replace("\"", "&quot;") + "</ETag></Part><Part><PartNumber>2</PartNumber>"
                + "<ETag>" + p2.responseHeader("ETag") + "</ETag></Part></CompleteMultipartUpload>";
        MemoryExchange done = run(signed("POST", "/public/big", Map.of("uploadId", uploadId), bytes(complete)));
        assertEquals(200, done.status(), done.responseText());
        assertEquals("part-one|part-two", new String(publicStore.objects.get("tenant/big").data(),
                StandardCharsets.UTF_8));

        String again = run(signed("POST", "/public/big", Map.of("uploads", ""), null)).responseText();
        String id2 = between(again, "<UploadId>", "</UploadId>");
        assertEquals(204, run(signed("DELETE", "/public/big", Map.of("uploadId", id2), null)).status());
        assertEquals(404, run(signed("DELETE", "/public/big", Map.of("uploadId", id2), null)).status());
    }

    @Test
    void deleteObjectIs204() throws IOException {
        publicStore.putBytes("tenant/k", bytes("x"), ObjectAttributes.NONE);
        assertEquals(204, run(signed("DELETE", "/public/k", Map.of(), null)).status());
        assertTrue(publicStore.objects.isEmpty());
    }

    @Test
    void routeHandlersComeFirstAndABrokenOneIsSkipped() throws IOException {
        plugins.addRouteHandler(ex -> {
            throw new IllegalStateException("broken");
        }, "broken", 100, 5);
        plugins.addRouteHandler(ex -> {
            if (!ex.rawPath().equals("/health")) {
                return false;
            }
            ex.setStatus(200);
            ex.responseBody().write(bytes("ok"));
            return true;
        }, "health", 0, 6);
        MemoryExchange ex = run(anon("GET", "/health", null));
        assertEquals("ok", ex.responseText());
        assertRequestId(ex);
        assertEquals(404, run(anon("GET", "/nope/k", null)).status());
    }

    @Test
    void routeHandlersAreOfferedOnlyWhatTheyMatchInRankingOrder() throws IOException {
        List<String> offered = new java.util.ArrayList<>();
        plugins.addRouteHandler(new io.multistore.api.http.RouteHandler() {
            @Override
            public io.multistore.api.http.RouteMatcher matcher() {
                return io.multistore.api.http.RouteMatcher.path("/.well-known/jwks.json").methods("GET");
            }

            @Override
            public boolean handle(io.multistore.api.http.HttpExchange ex) throws IOException {
                offered.add("jwks");
                ex.setStatus(200);
                ex.responseBody().write(bytes("{}"));
                return true;
            }
        }, "jwks", 0, 7);
        plugins.addRouteHandler(new io.multistore.api.http.RouteHandler() {
            @Override
            public io.multistore.api.http.RouteMatcher matcher() {
                return io.multistore.api.http.RouteMatcher.pathPrefix("/.well-known/");
            }

            @Override
            public boolean handle(io.multistore.api.http.HttpExchange ex) {
                offered.add("prefix");
                return false;
            }
        }, "prefix", 10, 8);
        assertEquals("{}", run(anon("GET", "/.well-known/jwks.json", null)).responseText());
        assertEquals(List.of("prefix", "jwks"), offered, "higher ranking first, declining passes it on");
        offered.clear();
        run(anon("GET", "/public/k", null));
        run(anon("POST", "/.well-known/jwks.json", null));
        assertEquals(List.of("prefix"), offered, "a non-matching request reaches no handler");
    }

    @Test
    void aFormBodyReadByADecliningHandlerIsReplayedToTheS3Path() throws IOException {
        List<String> seen = new java.util.ArrayList<>();
        plugins.addRouteHandler(new io.multistore.api.http.RouteHandler() {
            @Override
            public io.multistore.api.http.RouteMatcher matcher() {
                return io.multistore.api.http.RouteMatcher.any().methods("POST");
            }

            @Override
            public boolean handle(io.multistore.api.http.HttpExchange ex) throws IOException {
                seen.add(ex.formBody(64).orElse("<none>"));
                seen.add(ex.formBody(64).orElse("<none>")); // asking twice reads nothing more
                return false;
            }
        }, "form", 0, 9);
        publicStore.putBytes("tenant/a", bytes("a"), ObjectAttributes.NONE);
        String body = "<Delete><Object><Key>a</Key></Object></Delete>";
        MemoryExchange ex = run(signed("POST", "/public", Map.of("delete", ""), bytes(body),
                "Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(200, ex.status(), ex.responseText());
        assertTrue(ex.responseText().contains("<Deleted><Key>a</Key></Deleted>"), ex.responseText());
        assertEquals(List.of(body, body), seen);

        // over the limit (chunked, no length): the handler gets nothing, the S3 path still gets every byte
        seen.clear();
        publicStore.putBytes("tenant/b", bytes("b"), ObjectAttributes.NONE);
        String large = "<Delete><Object><Key>b</Key></Object>" + " ".repeat(100) + "</Delete>";
        MemoryExchange chunked = signed("POST", "/public", Map.of("delete", ""), bytes(large),
                "Content-Type", "application/x-www-form-urlencoded");
        chunked.body(new java.io.ByteArrayInputStream(bytes(large)), -1);
        run(chunked);
        assertEquals(List.of("<none>", "<none>"), seen);
        assertTrue(chunked.responseText().contains("<Deleted><Key>b</Key></Deleted>"), chunked.responseText());
    }

    @Test
    void theActiveConfigurationFollowsTheBoundProvider() {
        ActiveConfigProvider active = new ActiveConfigProvider(plugins, 0);
        assertEquals(3, active.buckets().size());
        plugins.unsetConfigProvider(provider);
        S3Exception e = assertThrows(S3Exception.class, () -> active.bucket("public"));
        assertEquals(S3ErrorCode.ServiceUnavailable, e.code());
    }

    @Test
    void storeIsOpenedOnceAndReplacedWhenTheBackendGoes() throws IOException {
        publicStore.putBytes("tenant/k", bytes("x"), ObjectAttributes.NONE);
        run(anon("GET", "/public/k", null));
        run(anon("GET", "/public/k", null));
        assertEquals(1, opens.get());
        plugins.removeBackend(backend);
        stores.retireBackend(backend);
        assertTrue(publicStore.closed.get());
        assertEquals(503, run(anon("GET", "/public/k", null)).status());
    }

    static String between(String s, String a, String b) {
        int i = s.indexOf(a);
        assertTrue(i >= 0, s);
        return s.substring(i + a.length(), s.indexOf(b, i));
    }

    @Test
    void aRequestTheFrontEndRefusedGetsAnS3ErrorDocumentWithARequestId() throws IOException {
        MemoryExchange ex = new MemoryExchange("GET", null, null);
        gateway.reject(ex, new S3Exception(S3ErrorCode.RequestHeaderSectionTooLarge));
        assertEquals(400, ex.status());
        String requestId = ex.responseHeader("x-amz-request-id");
        assertEquals(16, requestId.length());
        assertEquals("application/xml", ex.responseHeader("Content-Type"));
        String xml = ex.responseText();
        assertTrue(xml.contains("<Code>RequestHeaderSectionTooLarge</Code>"), xml);
        assertTrue(xml.contains("<RequestId>" + requestId + "</RequestId>"), xml);
    }
}
