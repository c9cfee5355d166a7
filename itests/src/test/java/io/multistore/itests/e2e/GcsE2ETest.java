package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.FakeGcsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The GCS backend end to end: the distribution (with a 256 MiB heap) in front of fake-gcs-server, driven by the AWS
 * SDK for Java v2 — the whole S3 surface on {@code backend_type = "gcs"} and its alias {@code gs}, a multipart upload
 * that survives a gateway restart, 1 GiB streamed both ways, and the GCS bundle hot-deployed into a server started
 * without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GcsE2ETest {

    @TempDir
    static Path temp;

    private FakeGcsServer gcs;
    private Path config;
    private MultistoreServer server;
    private S3Client client;

    @BeforeAll
    void start() throws Exception {
        gcs = FakeGcsServer.start();
        gcs.createBucket("backend");
        config = temp.resolve("config.toml");
        Files.writeString(config, E2E.gcsConfig(gcs));
        server = MultistoreServer.start(MultistoreServer.copyDistribution(temp.resolve("server"), p -> true), config,
                List.of(), Map.of("JAVA_OPTS", "-Xmx256m"));
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        E2E.awaitReady(client, server, "data");
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (gcs != null) {
            gcs.close();
        }
    }

    @Test
    void objectsRoundTripWithMetadataEtagsAndRanges() {
        String body = "hello gcs";
        client.putObject(b -> b.bucket("data").key("docs/a.txt").contentType("text/csv")
                .metadata(Map.of("color", "blue")), RequestBody.fromString(body));
        HeadObjectResponse head = client.headObject(b -> b.bucket("data").key("docs/a.txt"));
        assertEquals("\"" + md5Hex(body.getBytes(StandardCharsets.UTF_8)) + "\"", head.eTag());
        assertEquals("text/csv", head.contentType());
        assertEquals(Map.of("color", "blue"), head.metadata());
        assertEquals("gcs", new String(client.getObjectAsBytes(b -> b.bucket("data").key("docs/a.txt")
                .range("bytes=6-8")).asByteArray(), StandardCharsets.UTF_8));
        assertEquals(body, client.getObjectAsBytes(b -> b.bucket("data").key("docs/a.txt").ifMatch(head.eTag()))
                .asUtf8String());
        S3Exception failed = assertThrows(S3Exception.class, () -> client.getObject(b -> b.bucket("data")
                .key("docs/a.txt").ifMatch("\"0000\"")));
        assertEquals(412, failed.statusCode());

        client.copyObject(b -> b.sourceBucket("data").sourceKey("docs/a.txt").destinationBucket("data")
                .destinationKey("docs/b.txt"));
        ListObjectsV2Response listing = client.listObjectsV2(b -> b.bucket("data").prefix("docs/"));
        assertEquals(List.of("docs/a.txt", "docs/b.txt"), listing.contents().stream().map(o -> o.key()).toList());
        listing.contents().forEach(o -> assertEquals(head.eTag(), o.eTag()));

        ListObjectsV2Response rolled = client.listObjectsV2(b -> b.bucket("data").delimiter("/"));
        assertEquals(List.of("docs/"), rolled.commonPrefixes().stream().map(p -> p.prefix()).toList());

        var deleted = client.deleteObjects(b -> b.bucket("data").delete(d -> d.objects(
                ObjectIdentifier.builder().key("docs/a.txt").build(),
                ObjectIdentifier.builder().key("docs/b.txt").build(),
                ObjectIdentifier.builder().key("docs/absent").build())));
        assertEquals(3, deleted.deleted().size());
        assertTrue(deleted.errors().isEmpty(), deleted.errors().toString());
        S3Exception missing = assertThrows(S3Exception.class,
                () -> client.headObject(b -> b.bucket("data").key("docs/a.txt")));
        assertEquals(404, missing.statusCode());
    }

    @Test
    void theGsAliasServesTheSameStore() {
        client.putObject(b -> b.bucket("alias").key("k"), RequestBody.fromString("via gs"));
        assertEquals("via gs", client.getObjectAsBytes(b -> b.bucket("alias").key("k")).asUtf8String());
        client.deleteObject(b -> b.bucket("alias").key("k"));
    }

    @Test
    void conditionalPutIsAtomicWithTheWrite() {
        client.putObject(b -> b.bucket("data").key("cond"), RequestBody.fromString("one"));
        S3Exception exists = assertThrows(S3Exception.class, () -> client.putObject(b -> b.bucket("data")
                .key("cond").ifNoneMatch("*"), RequestBody.fromString("two")));
        assertEquals(412, exists.statusCode());
        assertEquals("one", client.getObjectAsBytes(b -> b.bucket("data").key("cond")).asUtf8String());
    }

    /** An upload is kept in GCS, not in the gateway: it is listed, completed and cleaned up across a restart. */
    @Test
    void multipartUploadSurvivesAGatewayRestart() throws Exception {
        byte[] p1 = random(5 << 20, 1);
        byte[] p2 = random(1000, 2);
        String id = client.createMultipartUpload(b -> b.bucket("data").key("mp/object").contentType("video/mp4"))
                .uploadId();
        String e1 = client.uploadPart(b -> b.bucket("data").key("mp/object").uploadId(id).partNumber(1),
                RequestBody.fromBytes(p1)).eTag();

        server.close();
        server = MultistoreServer.start(server.home(), config, List.of(), Map.of("JAVA_OPTS", "-Xmx256m"));
        client.close();
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        E2E.awaitReady(client, server, "data");

        List<MultipartUpload> uploads = client.listMultipartUploads(b -> b.bucket("data")).uploads();
        assertEquals(List.of("mp/object"), uploads.stream().map(MultipartUpload::key).toList());
        assertEquals(id, uploads.get(0).uploadId());
        String e2 = client.uploadPart(b -> b.bucket("data").key("mp/object").uploadId(id).partNumber(2),
                RequestBody.fromBytes(p2)).eTag();
        assertEquals(List.of(1, 2), client.listParts(b -> b.bucket("data").key("mp/object").uploadId(id)).parts()
                .stream().map(p -> p.partNumber()).toList());
        String etag = client.completeMultipartUpload(b -> b.bucket("data").key("mp/object").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build()))).eTag();
        assertTrue(etag.endsWith("-2\""), etag);
        HeadObjectResponse head = client.headObject(b -> b.bucket("data").key("mp/object"));
        assertEquals(etag, head.eTag());
        assertEquals("video/mp4", head.contentType());
        assertEquals(p1.length + p2.length, head.contentLength());
        byte[] whole = client.getObjectAsBytes(b -> b.bucket("data").key("mp/object")).asByteArray();
        assertArrayEquals(md5(p1, p2), md5(whole));
        assertTrue(client.listMultipartUploads(b -> b.bucket("data")).uploads().isEmpty());
        // the temporaries are gone from GCS too
        assertFalse(gcs.listObjectsJson("backend").contains(".multistore-uploads"),
                gcs.listObjectsJson("backend"));
        client.deleteObject(b -> b.bucket("data").key("mp/object"));
    }

    @Test
    void oneGibibyteStreamsThroughASmallHeap() throws Exception {
        E2E.largeRoundTrip(client, server, "data", "large/1gib.bin", 1L << 30);
    }

    /** A server started without the GCS bundle names the missing type, then serves once the bundle is dropped in. */
    @Test
    void gcsBundleIsHotDeployed() throws Exception {
        Path home = MultistoreServer.copyDistribution(temp.resolve("without-gcs"),
                p -> !(p.startsWith("bundle") && p.getFileName().toString().startsWith("io.multistore.backend.gcs")));
        Path pristine = Path.of(System.getProperty("multistore.home", "../distribution/target/multistore-server"));
        List<Path> jars;
        try (Stream<Path> files = Files.list(pristine.resolve("bundle"))) {
            jars = files.filter(p -> p.getFileName().toString().startsWith("io.multistore.backend.gcs")).toList();
        }
        assertEquals(1, jars.size(), jars::toString);
        try (MultistoreServer bare = MultistoreServer.start(home, config, List.of(), Map.of());
                S3Client bareClient = Clients.pathStyle(bare.endpoint(), E2E.KEY, E2E.SECRET)) {
            bare.await("503 while no GCS backend is installed", Duration.ofSeconds(60),
                    () -> PluginHotDeployE2ETest.statusOf(bareClient) == 503);
            S3Exception absent = assertThrows(S3Exception.class,
                    () -> bareClient.listObjectsV2(b -> b.bucket("data")));
            assertTrue(absent.awsErrorDetails().errorMessage().contains("'gcs'"),
                    absent.awsErrorDetails().errorMessage());
            long deployed = System.nanoTime();
            Files.copy(jars.get(0), bare.deployDir().resolve(jars.get(0).getFileName()));
            bare.await("200 once the GCS bundle is deployed", Duration.ofSeconds(60), () -> PluginHotDeployE2ETest.statusOf(bareClient) == 200);
            System.out.printf("GCS bundle (%d bytes) served its first request %d ms after it was dropped into"
                    + " deploy/%n", Files.size(jars.get(0)), (System.nanoTime() - deployed) / 1_000_000);
            bareClient.putObject(b -> b.bucket("data").key("hot/one.txt"), RequestBody.fromString("hot"));
            assertEquals("hot", bareClient.getObjectAsBytes(b -> b.bucket("data").key("hot/one.txt"))
                    .asUtf8String());
            bareClient.deleteObject(b -> b.bucket("data").key("hot/one.txt"));
        }
    }

    private static byte[] random(int size, int seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] md5(byte[]... chunks) throws Exception {
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("MD5");
        for (byte[] chunk : chunks) {
            digest.update(chunk);
        }
        return digest.digest();
    }

    private static String md5Hex(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(md5(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
