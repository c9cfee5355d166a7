package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The distribution end to end: S3Proxy as the backend, {@code bin/multistore-server} as operators run it, and the
 * AWS SDK for Java v2 as the client, path style and virtual-hosted style.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayE2ETest {
    static final String DOMAIN = "s3.test";

    @TempDir
    static Path temp;

    S3ProxyServer s3proxy;
    MultistoreServer server;
    S3Client backend;
    S3Client pathStyle;
    S3Client virtualHosted;

    @BeforeAll
    void start() throws IOException {
        s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("backend");
        Path config = temp.resolve("config.toml");
        Files.writeString(config, E2E.config(s3proxy));
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        server = MultistoreServer.start(home, config, List.of("--domain", DOMAIN),
                Map.of("JAVA_OPTS", "-Xmx256m"));
        backend = Clients.pathStyle(s3proxy.endpointUri(), s3proxy.identity(), s3proxy.credential());
        pathStyle = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        virtualHosted = Clients.virtualHosted(DOMAIN, server.port(), E2E.KEY, E2E.SECRET);
        E2E.awaitReady(pathStyle, server, "data");
    }


    @AfterAll
    void stop() {
        Stream.of(pathStyle, virtualHosted, backend).filter(c -> c != null).forEach(S3Client::close);
        if (server != null) {
            server.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    static Stream<Arguments> hostileKeys() {
        List<String> keys = List.of("plain.txt", "with space/and more spaces.bin", "unicode/日本語/ñandú-Ωμέγα.txt",
                "equals=sign=key", "plus+sign+key", "percent%20literal%2F", "star*key", "tilde~key",
                "mixed/ !\"#$&'()*+,;=?@[]^`{|}~");
        List<Arguments> args = new ArrayList<>();
        for (String key : keys) {
            args.add(Arguments.of(key, true));
            args.add(Arguments.of(key, false));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} (path style: {1})")
    @MethodSource("hostileKeys")
    void putGetHeadListDeleteRoundTrip(String key, boolean pathStyleClient) {
        S3Client client = pathStyleClient ? pathStyle : virtualHosted;
        String objectKey = "roundtrip-" + pathStyleClient + "/" + key;
        byte[] body = ("content of " + key).getBytes(StandardCharsets.UTF_8);

        client.putObject(b -> b.bucket("data").key(objectKey).contentType("text/plain")
                .metadata(Map.of("origin", "e2e")), RequestBody.fromBytes(body));

        HeadObjectResponse head = client.headObject(b -> b.bucket("data").key(objectKey));
        assertEquals(body.length, head.contentLength());
        assertEquals("text/plain", head.contentType());
        assertEquals("e2e", head.metadata().get("origin"));

        ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket("data").key(objectKey));
        assertArrayEquals(body, got.asByteArray());
        assertEquals(head.eTag(), got.response().eTag());

        ListObjectsV2Response listed = client.listObjectsV2(b -> b.bucket("data").prefix(objectKey));
        assertEquals(List.of(objectKey), listed.contents().stream().map(S3Object::key).toList());

        // the object lands under backend_prefix in the backend bucket
        assertEquals(body.length, backend.headObject(b -> b.bucket("backend").key("gw/" + objectKey)).contentLength());

        client.deleteObject(b -> b.bucket("data").key(objectKey));
        assertThrows(NoSuchKeyException.class, () -> client.getObject(b -> b.bucket("data").key(objectKey)));
    }

    @Test
    void rangesAndConditionals() throws Exception {
        byte[] body = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        String etag = pathStyle.putObject(b -> b.bucket("data").key("cond/obj"), RequestBody.fromBytes(body)).eTag();

        ResponseBytes<GetObjectResponse> part = pathStyle.getObjectAsBytes(b -> b.bucket("data").key("cond/obj")
                .range("bytes=2-5"));
        assertEquals("2345", part.asUtf8String());
        assertEquals("bytes 2-5/20", part.response().contentRange());
        assertEquals("ghij", pathStyle.getObjectAsBytes(b -> b.bucket("data").key("cond/obj").range("bytes=-4"))
                .asUtf8String());
        assertEquals("abcdefghij", pathStyle.getObjectAsBytes(b -> b.bucket("data").key("cond/obj")
                .range("bytes=10-")).asUtf8String());
        assertStatus(416, "InvalidRange", () -> pathStyle.getObject(b -> b.bucket("data").key("cond/obj")
                .range("bytes=100-200")));

        assertEquals("0123456789abcdefghij", pathStyle.getObjectAsBytes(b -> b.bucket("data").key("cond/obj")
                .ifMatch(etag)).asUtf8String());
        assertStatus(412, null, () -> pathStyle.getObject(b -> b.bucket("data").key("cond/obj")
                .ifMatch("\"0000\"")));
        assertStatus(304, null, () -> pathStyle.getObject(b -> b.bucket("data").key("cond/obj")
                .ifNoneMatch(etag)));
        assertStatus(304, null, () -> pathStyle.getObject(b -> b.bucket("data").key("cond/obj")
                .ifModifiedSince(Instant.now().plusSeconds(3600))));
        assertStatus(412, null, () -> pathStyle.getObject(b -> b.bucket("data").key("cond/obj")
                .ifUnmodifiedSince(Instant.parse("2000-01-01T00:00:00Z"))));
        assertStatus(304, null, () -> pathStyle.headObject(b -> b.bucket("data").key("cond/obj")
                .ifNoneMatch(etag)));
    }

    @Test
    void listingsV1AndV2WithDelimiterAndPaging() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            keys.add(String.format("list/dir%d/file%02d", i % 3, i));
        }
        keys.add("list/top.txt");
        for (String key : keys) {
            pathStyle.putObject(b -> b.bucket("data").key(key), RequestBody.fromString(key));
        }
        List<String> sorted = keys.stream().sorted().toList();

        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListObjectsV2Response page = pathStyle.listObjectsV2(b -> b.bucket("data").prefix("list/").maxKeys(5)
                    .continuationToken(t));
            page.contents().forEach(o -> paged.add(o.key()));
            token = page.nextContinuationToken();
            pages++;
            assertEquals(page.isTruncated(), token != null);
        } while (token != null);
        assertEquals(sorted, paged);
        assertEquals(5, pages);

        ListObjectsV2Response rolled = pathStyle.listObjectsV2(b -> b.bucket("data").prefix("list/").delimiter("/"));
        assertEquals(List.of("list/dir0/", "list/dir1/", "list/dir2/"),
                rolled.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(List.of("list/top.txt"), rolled.contents().stream().map(S3Object::key).toList());

        ListObjectsV2Response after = pathStyle.listObjectsV2(b -> b.bucket("data").prefix("list/")
                .startAfter("list/dir2/file20"));
        assertEquals(sorted.subList(sorted.indexOf("list/dir2/file20") + 1, sorted.size()),
                after.contents().stream().map(S3Object::key).toList());

        List<String> v1 = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            ListObjectsResponse page = pathStyle.listObjects(b -> b.bucket("data").prefix("list/").maxKeys(7)
                    .marker(m));
            page.contents().forEach(o -> v1.add(o.key()));
            marker = page.isTruncated() ? page.contents().get(page.contents().size() - 1).key() : null;
        } while (marker != null);
        assertEquals(sorted, v1);

        ListObjectsV2Response encoded = pathStyle.listObjectsV2(b -> b.bucket("data").prefix("list/top")
                .encodingType("url"));
        assertEquals(List.of("list/top.txt"), encoded.contents().stream().map(S3Object::key).toList());
    }

    @Test
    void anonymousReadsOnlyWhereAllowed() {
        pathStyle.putObject(b -> b.bucket("public").key("hello.txt"), RequestBody.fromString("hello"));
        pathStyle.putObject(b -> b.bucket("data").key("secret.txt"), RequestBody.fromString("secret"));
        try (S3Client anonymous = Clients.anonymous(server.endpoint())) {
            assertEquals("hello", anonymous.getObjectAsBytes(b -> b.bucket("public").key("hello.txt"))
                    .asUtf8String());
            assertEquals(List.of("hello.txt"), anonymous.listObjectsV2(b -> b.bucket("public").prefix("hello"))
                    .contents().stream().map(S3Object::key).toList());
            assertStatus(403, "AccessDenied", () -> anonymous.putObject(b -> b.bucket("public").key("x"),
                    RequestBody.fromString("nope")));
            assertStatus(403, "AccessDenied", () -> anonymous.deleteObject(b -> b.bucket("public")
                    .key("hello.txt")));
            assertStatus(403, "AccessDenied", () -> anonymous.getObject(b -> b.bucket("data").key("secret.txt")));
            assertEquals(List.of("public"), anonymous.listBuckets().buckets().stream().map(Bucket::name).toList());
        }
    }

    @Test
    void credentialsAreVerifiedAndScoped() {
        try (S3Client wrong = Clients.pathStyle(server.endpoint(), E2E.KEY, "not-the-secret")) {
            assertStatus(403, "SignatureDoesNotMatch", () -> wrong.listObjectsV2(b -> b.bucket("data")));
        }
        try (S3Client unknown = Clients.pathStyle(server.endpoint(), "AKIDUNKNOWN000000000", E2E.SECRET)) {
            assertStatus(403, "InvalidAccessKeyId", () -> unknown.listObjectsV2(b -> b.bucket("data")));
        }
        for (String key : List.of(E2E.DISABLED_KEY, E2E.EXPIRED_KEY)) {
            try (S3Client denied = Clients.pathStyle(server.endpoint(), key, E2E.SECRET)) {
                S3Exception e = assertThrows(S3Exception.class, () -> denied.listObjectsV2(b -> b.bucket("data")));
                assertEquals(403, e.statusCode(), key);
            }
        }
        pathStyle.putObject(b -> b.bucket("data").key("shared/doc.txt"), RequestBody.fromString("shared"));
        pathStyle.putObject(b -> b.bucket("data").key("sharedness.txt"), RequestBody.fromString("not shared"));
        try (S3Client reader = Clients.pathStyle(server.endpoint(), E2E.READER_KEY, E2E.READER_SECRET)) {
            assertEquals("shared", reader.getObjectAsBytes(b -> b.bucket("data").key("shared/doc.txt"))
                    .asUtf8String());
            assertStatus(403, "AccessDenied", () -> reader.getObject(b -> b.bucket("data").key("sharedness.txt")));
            assertStatus(403, "AccessDenied", () -> reader.putObject(b -> b.bucket("data").key("shared/new"),
                    RequestBody.fromString("x")));
            assertEquals(List.of("shared/doc.txt"), reader.listObjectsV2(b -> b.bucket("data").prefix("shared/"))
                    .contents().stream().map(S3Object::key).toList());
            // its own bucket, plus the anonymous one everybody may read; never "hidden"
            assertEquals(List.of("data", "public"), reader.listBuckets().buckets().stream().map(Bucket::name)
                    .sorted().toList());
        }
        assertEquals(List.of("data", "public"), pathStyle.listBuckets().buckets().stream().map(Bucket::name)
                .sorted().toList());
    }

    @Test
    void bucketsAndUnsupportedOperations() throws Exception {
        pathStyle.headBucket(b -> b.bucket("data"));
        assertStatus(404, "NoSuchBucket", () -> pathStyle.listObjectsV2(b -> b.bucket("no-such-bucket")));
        assertStatus(501, "NotImplemented", () -> pathStyle.getBucketPolicy(b -> b.bucket("data")));
        assertStatus(501, "NotImplemented", () -> pathStyle.getObjectTagging(b -> b.bucket("data").key("x")));

        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.endpoint() + "/public/hello.txt?retention")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(501, raw.statusCode());
        assertTrue(raw.body().contains("<Code>NotImplemented</Code>"), raw.body());
        assertTrue(raw.body().contains("<RequestId>"), raw.body());
        assertTrue(raw.headers().firstValue("x-amz-request-id").isPresent());
    }

    @Test
    void wrongPayloadHashStoresNothing() throws Exception {
        // correctly signed for the body "original", but another body of the same length is sent
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create(server.endpoint() + "/data/tampered.txt"))
                .putHeader("x-amz-content-sha256", sha256Hex("original")).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(E2E.KEY, E2E.SECRET))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String("original"))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder tampered = HttpRequest.newBuilder(signed.request().getUri())
                .PUT(HttpRequest.BodyPublishers.ofString("tampere!"));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(v -> tampered.header(name, v));
            }
        });
        HttpResponse<String> response = HttpClient.newHttpClient().send(tampered.build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("<Code>XAmzContentSHA256Mismatch</Code>"), response.body());
        assertFalse(exists("backend", "gw/tampered.txt"));
    }

    static String sha256Hex(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void oneGibibyteStreamsThroughASmallHeap() throws Exception {
        E2E.largeRoundTrip(pathStyle, server, "data", "large/1gib.bin", 1L << 30);
    }

    @Test
    void multipartCopyAndBatchDelete() {
        String uploadId = pathStyle.createMultipartUpload(b -> b.bucket("data").key("mp/object")
                .contentType("application/x-test")).uploadId();
        byte[] first = new byte[5 << 20];
        Arrays.fill(first, (byte) 'a');
        String etag1 = pathStyle.uploadPart(b -> b.bucket("data").key("mp/object").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(first)).eTag();
        String etag2 = pathStyle.uploadPart(b -> b.bucket("data").key("mp/object").uploadId(uploadId).partNumber(2),
                RequestBody.fromString("tail")).eTag();
        assertEquals(List.of(1, 2), pathStyle.listParts(b -> b.bucket("data").key("mp/object").uploadId(uploadId))
                .parts().stream().map(Part::partNumber).toList());
        String etag = pathStyle.completeMultipartUpload(b -> b.bucket("data").key("mp/object").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                        CompletedPart.builder().partNumber(2).eTag(etag2).build()))).eTag();
        assertTrue(etag.endsWith("-2\""), etag);
        HeadObjectResponse head = pathStyle.headObject(b -> b.bucket("data").key("mp/object"));
        assertEquals(first.length + 4L, head.contentLength());

        String aborted = pathStyle.createMultipartUpload(b -> b.bucket("data").key("mp/aborted")).uploadId();
        // (S3Proxy does not validate upload ids afterwards; the conformance suites cover NoSuchUpload)
        pathStyle.abortMultipartUpload(b -> b.bucket("data").key("mp/aborted").uploadId(aborted));

        pathStyle.copyObject(b -> b.sourceBucket("data").sourceKey("mp/object").destinationBucket("data")
                .destinationKey("mp/copy"));
        assertEquals(first.length + 4L, pathStyle.headObject(b -> b.bucket("data").key("mp/copy")).contentLength());

        DeleteObjectsResponse deleted = pathStyle.deleteObjects(b -> b.bucket("data").delete(d -> d.objects(
                ObjectIdentifier.builder().key("mp/object").build(), ObjectIdentifier.builder().key("mp/copy").build(),
                ObjectIdentifier.builder().key("mp/never-existed").build())));
        assertEquals(3, deleted.deleted().size(), deleted.toString());
        assertEquals(List.of(), pathStyle.listObjectsV2(b -> b.bucket("data").prefix("mp/")).contents());
    }

    @Test
    void presignedUrlsWorkWithPlainHttp() throws Exception {
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(server.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(E2E.KEY, E2E.SECRET)))
                .build()) {
            URI put = presigner.presignPutObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket("data").key("presigned/file name.txt"))).url().toURI();
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, http.send(HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofString("via url"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            URI get = presigner.presignGetObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket("data").key("presigned/file name.txt"))).url().toURI();
            HttpResponse<String> got = http.send(HttpRequest.newBuilder(get).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, got.statusCode());
            assertEquals("via url", got.body());
            URI tampered = URI.create(get.toString().replace("presigned/file", "presigned/other"));
            assertEquals(403, http.send(HttpRequest.newBuilder(tampered).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void adminConsoleIsSeparateAndPasswordProtected() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI console = URI.create(server.adminEndpoint() + "/system/console/bundles");
        assertEquals(401, http.send(HttpRequest.newBuilder(console).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        String defaults = java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, http.send(HttpRequest.newBuilder(console).header("Authorization", "Basic " + defaults)
                .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        String real = java.util.Base64.getEncoder().encodeToString((MultistoreServer.ADMIN_USER + ":"
                + MultistoreServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, http.send(HttpRequest.newBuilder(console).header("Authorization", "Basic " + real)
                .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        // and the console is not on the S3 port
        assertTrue(http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/system/console/bundles"))
                .header("Authorization", "Basic " + real).GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode() != 200);
    }

    boolean exists(String bucket, String key) {
        try {
            backend.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static void assertStatus(int status, String code, Runnable call) {
        S3Exception e = assertThrows(S3Exception.class, call::run);
        assertEquals(status, e.statusCode(), () -> e.toString());
        if (code != null) {
            assertNotNull(e.awsErrorDetails(), e.toString());
            assertEquals(code, e.awsErrorDetails().errorCode(), e.toString());
        }
    }
}
