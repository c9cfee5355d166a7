package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.AzuriteServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The Azure backend through the assembled distribution, driven by the AWS SDK for Java v2 against Azurite: the S3
 * surface on {@code backend_type = "az"} and {@code "azure"}, 1 GiB through a 256 MiB heap, a multipart upload that
 * survives a restart of the gateway between its parts, and the backend hot-deployed into a server started without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzureE2ETest {

    @TempDir
    static Path temp;

    AzuriteServer azurite;
    Path config;

    @BeforeAll
    void start() throws Exception {
        azurite = AzuriteServer.start();
        azurite.createContainer("gateway");
        config = temp.resolve("config.toml");
        Files.writeString(config, E2E.azureConfig(azurite));
    }

    @AfterAll
    void stop() {
        if (azurite != null) {
            azurite.close();
        }
    }

    private MultistoreServer startServer(Path home) throws Exception {
        return MultistoreServer.start(home, config, List.of(), Map.of("JAVA_OPTS", "-Xmx256m"));
    }

    @Test
    void s3SurfaceOnAzure() throws Exception {
        Path home = MultistoreServer.copyDistribution(temp.resolve("surface"), p -> true);
        try (MultistoreServer server = startServer(home);
                S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            E2E.awaitReady(client, server, "az");
            String key = "dir/hostile key+=%20ü.txt";
            byte[] body = "hello azure".getBytes(StandardCharsets.UTF_8);
            String etag = client.putObject(b -> b.bucket("az").key(key).contentType("text/plain")
                    .metadata(Map.of("origin", "e2e", "with-dash", "yes")), RequestBody.fromBytes(body)).eTag();
            assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
            HeadObjectResponse head = client.headObject(b -> b.bucket("az").key(key));
            assertEquals(etag, head.eTag());
            assertEquals("text/plain", head.contentType());
            assertEquals(Map.of("origin", "e2e", "with-dash", "yes"), head.metadata());
            assertArrayEquals(body, client.getObjectAsBytes(b -> b.bucket("az").key(key).ifMatch(etag))
                    .asByteArray());
            assertEquals("azure", new String(client.getObjectAsBytes(b -> b.bucket("az").key(key).range("bytes=6-"))
                    .asByteArray(), StandardCharsets.UTF_8));
            GatewayE2ETest.assertStatus(412, "PreconditionFailed", () -> client.putObject(b -> b.bucket("az")
                    .key(key).ifNoneMatch("*"), RequestBody.fromString("again")));
            GatewayE2ETest.assertStatus(404, "NoSuchKey",
                    () -> client.getObjectAsBytes(b -> b.bucket("az").key("absent")));
            List<S3Object> listed = client.listObjectsV2(b -> b.bucket("az").prefix("dir/")).contents();
            assertEquals(List.of(key), listed.stream().map(S3Object::key).toList());
            assertEquals(etag, listed.get(0).eTag());
            assertEquals(List.of("dir/"), client.listObjectsV2(b -> b.bucket("az").delimiter("/")).commonPrefixes()
                    .stream().map(p -> p.prefix()).toList());

            client.copyObject(b -> b.sourceBucket("az").sourceKey(key).destinationBucket("az").destinationKey("copy"));
            assertEquals(etag, client.headObject(b -> b.bucket("az").key("copy")).eTag());
            // the alias type serves the same container under its own prefix
            client.putObject(b -> b.bucket("alias").key("one"), RequestBody.fromString("1"));
            assertEquals(1, client.listObjectsV2(b -> b.bucket("alias")).keyCount());

            var deleted = client.deleteObjects(b -> b.bucket("az").delete(d -> d.objects(
                    ObjectIdentifier.builder().key(key).build(), ObjectIdentifier.builder().key("copy").build(),
                    ObjectIdentifier.builder().key("never-there").build())));
            assertEquals(3, deleted.deleted().size());
            assertEquals(0, client.listObjectsV2(b -> b.bucket("az")).keyCount());

            E2E.largeRoundTrip(client, server, "az", "large/1gib.bin", 1L << 30);
        }
    }

    @Test
    void multipartUploadSurvivesAGatewayRestart() throws Exception {
        Path home = MultistoreServer.copyDistribution(temp.resolve("restart"), p -> true);
        byte[] first = new byte[5 << 20];
        Arrays.fill(first, (byte) 'a');
        byte[] second = "the end".getBytes(StandardCharsets.UTF_8);
        String uploadId;
        String firstEtag;
        try (MultistoreServer server = startServer(home);
                S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            E2E.awaitReady(client, server, "az");
            uploadId = client.createMultipartUpload(b -> b.bucket("az").key("mp/restart")
                    .contentType("application/x-test").metadata(Map.of("stage", "one"))).uploadId();
            firstEtag = client.uploadPart(b -> b.bucket("az").key("mp/restart").uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(first)).eTag();
        }
        try (MultistoreServer server = startServer(home);
                S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            E2E.awaitReady(client, server, "az");
            assertEquals(List.of(uploadId), client.listMultipartUploads(b -> b.bucket("az")).uploads().stream()
                    .map(u -> u.uploadId()).toList());
            String secondEtag = client.uploadPart(b -> b.bucket("az").key("mp/restart").uploadId(uploadId)
                    .partNumber(2), RequestBody.fromBytes(second)).eTag();
            ListPartsResponse parts = client.listParts(b -> b.bucket("az").key("mp/restart").uploadId(uploadId));
            assertEquals(List.of(firstEtag, secondEtag), parts.parts().stream().map(p -> p.eTag()).toList());
            String etag = client.completeMultipartUpload(b -> b.bucket("az").key("mp/restart").uploadId(uploadId)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(firstEtag).build(),
                            CompletedPart.builder().partNumber(2).eTag(secondEtag).build()))).eTag();
            assertTrue(etag.matches("\"[0-9a-f]{32}-2\""), etag);
            HeadObjectResponse head = client.headObject(b -> b.bucket("az").key("mp/restart"));
            assertEquals(etag, head.eTag());
            assertEquals(first.length + second.length, head.contentLength());
            assertEquals("application/x-test", head.contentType());
            assertEquals(Map.of("stage", "one"), head.metadata());
            assertEquals(etag, client.listObjectsV2(b -> b.bucket("az").prefix("mp/")).contents().get(0).eTag());
            byte[] all = client.getObjectAsBytes(b -> b.bucket("az").key("mp/restart")).asByteArray();
            assertEquals(first.length + second.length, all.length);
            assertEquals("the end", new String(all, first.length, second.length, StandardCharsets.UTF_8));
            assertEquals(List.of(), client.listMultipartUploads(b -> b.bucket("az")).uploads());
            client.deleteObject(b -> b.bucket("az").key("mp/restart"));
        }
    }

    static boolean isAzureBackend(Path file) {
        return file.getFileName().toString().startsWith("io.multistore.backend.azure");
    }

    @Test
    void azureBackendIsHotDeployed() throws Exception {
        Path home = MultistoreServer.copyDistribution(temp.resolve("hot"),
                p -> !(p.startsWith("bundle") && isAzureBackend(p)));
        Path pristine = Path.of(System.getProperty("multistore.home", "../distribution/target/multistore-server"));
        List<Path> jars;
        try (Stream<Path> files = Files.list(pristine.resolve("bundle"))) {
            jars = files.filter(AzureE2ETest::isAzureBackend).toList();
        }
        assertEquals(1, jars.size(), jars::toString);
        try (MultistoreServer server = startServer(home);
                S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            server.await("503 while no Azure backend is installed", Duration.ofSeconds(60),
                    () -> statusOf(client) == 503);
            S3Exception missing = assertThrows(S3Exception.class, () -> client.listObjectsV2(b -> b.bucket("az")));
            assertTrue(missing.awsErrorDetails().errorMessage().contains("'az'"),
                    missing.awsErrorDetails().errorMessage());
            Files.copy(jars.get(0), server.deployDir().resolve(jars.get(0).getFileName()));
            server.await("200 once the Azure backend is deployed", Duration.ofSeconds(60),
                    () -> statusOf(client) == 200);
            client.putObject(b -> b.bucket("az").key("hot/one.txt"), RequestBody.fromString("0123456789"));
            assertEquals("0123456789", client.getObjectAsBytes(b -> b.bucket("az").key("hot/one.txt"))
                    .asUtf8String());
            client.deleteObject(b -> b.bucket("az").key("hot/one.txt"));
        }
    }

    private static int statusOf(S3Client client) {
        try {
            client.listObjectsV2(b -> b.bucket("az"));
            return 200;
        } catch (S3Exception e) {
            return e.statusCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
