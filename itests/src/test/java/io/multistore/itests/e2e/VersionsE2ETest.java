package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Object versions and tags through the distribution on a store that has them: moto's S3 server as the backend, the
 * AWS SDK for Java v2 as the client. Versioning is switched on through the gateway (PutBucketVersioning passes
 * through); before that the bucket answers as a never-versioned one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VersionsE2ETest {

    @TempDir
    static Path temp;

    MotoServer moto;
    MultistoreServer server;
    S3Client client;
    S3Client reader;

    @BeforeAll
    void start() throws IOException {
        moto = MotoServer.start();
        moto.createBucket("backend");
        Path config = temp.resolve("config.toml");
        Files.writeString(config, E2E.s3Bucket("ver", "gw/", moto.endpoint(), "backend", MotoServer.ACCESS_KEY,
                MotoServer.SECRET_KEY)
                + E2E.credential(E2E.KEY, E2E.SECRET, "owner", "ver", E2E.ALL_ACTIONS)
                + E2E.credential(E2E.READER_KEY, E2E.READER_SECRET, "reader", "ver",
                        "[\"get_object\", \"head_object\", \"list_bucket\", \"put_object\"]"));
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        server = MultistoreServer.start(home, config, List.of(), Map.of("JAVA_OPTS", "-Xmx256m"));
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        reader = Clients.pathStyle(server.endpoint(), E2E.READER_KEY, E2E.READER_SECRET);
        E2E.awaitReady(client, server, "ver");
    }

    @AfterAll
    void stop() {
        Stream.of(client, reader).filter(c -> c != null).forEach(S3Client::close);
        if (server != null) {
            server.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    @Order(1)
    void beforeVersioningTheBucketIsNeverVersioned() {
        assertNull(client.getBucketVersioning(b -> b.bucket("ver")).status());
        client.putObject(b -> b.bucket("ver").key("early.txt"), RequestBody.fromString("early"));
        assertEquals("early", client.getObjectAsBytes(b -> b.bucket("ver").key("early.txt").versionId("null"))
                .asUtf8String());
        ListObjectVersionsResponse versions = client.listObjectVersions(b -> b.bucket("ver").prefix("early"));
        assertEquals(1, versions.versions().size());
        assertEquals("null", versions.versions().get(0).versionId());
        assertTrue(versions.versions().get(0).isLatest());
        assertStatus(400, "InvalidArgument", () -> client.getObject(b -> b.bucket("ver").key("early.txt")
                .versionId("3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY")));
    }

    @Test
    @Order(2)
    void versioningIsABucketAdministratorsChange() {
        assertStatus(403, "AccessDenied", () -> reader.putBucketVersioning(b -> b.bucket("ver")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED))));
        client.putBucketVersioning(b -> b.bucket("ver")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        assertEquals(BucketVersioningStatus.ENABLED, client.getBucketVersioning(b -> b.bucket("ver")).status());
    }

    @Test
    @Order(3)
    void versionsDeleteMarkersAndCopiesOfVersions() {
        PutObjectResponse v1 = client.putObject(b -> b.bucket("ver").key("doc.txt"), RequestBody.fromString("one"));
        PutObjectResponse v2 = client.putObject(b -> b.bucket("ver").key("doc.txt"), RequestBody.fromString("two"));
        assertNotNull(v1.versionId());
        assertNotNull(v2.versionId());
        assertNotEquals(v1.versionId(), v2.versionId());

        var latest = client.getObjectAsBytes(b -> b.bucket("ver").key("doc.txt"));
        assertEquals("two", latest.asUtf8String());
        assertEquals(v2.versionId(), latest.response().versionId());
        var first = client.getObjectAsBytes(b -> b.bucket("ver").key("doc.txt").versionId(v1.versionId()));
        assertEquals("one", first.asUtf8String());
        assertEquals(v1.versionId(), first.response().versionId());
        assertEquals(v1.versionId(), client.headObject(b -> b.bucket("ver").key("doc.txt")
                .versionId(v1.versionId())).versionId());
        assertEquals(3, client.headObject(b -> b.bucket("ver").key("doc.txt").versionId(v1.versionId()))
                .contentLength());

        // reading a version takes get_object_version, which the reader lacks; the current object it may read
        assertStatus(403, "AccessDenied", () -> reader.getObject(b -> b.bucket("ver").key("doc.txt")
                .versionId(v1.versionId())));
        // HEAD answers carry no error document: the status is all there is
        assertStatus(403, null, () -> reader.headObject(b -> b.bucket("ver").key("doc.txt")
                .versionId(v1.versionId())));
        assertEquals("two", reader.getObjectAsBytes(b -> b.bucket("ver").key("doc.txt")).asUtf8String());

        ListObjectVersionsResponse listed = client.listObjectVersions(b -> b.bucket("ver").prefix("doc"));
        assertEquals(List.of(v2.versionId(), v1.versionId()), listed.versions().stream()
                .map(ObjectVersion::versionId).toList());
        assertEquals(List.of(true, false), listed.versions().stream().map(ObjectVersion::isLatest).toList());
        assertEquals(List.of("doc.txt", "doc.txt"), listed.versions().stream().map(ObjectVersion::key).toList());

        // a delete leaves a marker: the key is gone, its versions are not
        DeleteObjectResponse deleted = client.deleteObject(b -> b.bucket("ver").key("doc.txt"));
        assertTrue(deleted.deleteMarker());
        assertNotNull(deleted.versionId());
        assertStatus(404, "NoSuchKey", () -> client.getObject(b -> b.bucket("ver").key("doc.txt")));
        assertEquals("one", client.getObjectAsBytes(b -> b.bucket("ver").key("doc.txt").versionId(v1.versionId()))
                .asUtf8String());
        ListObjectVersionsResponse withMarker = client.listObjectVersions(b -> b.bucket("ver").prefix("doc"));
        assertEquals(1, withMarker.deleteMarkers().size());
        DeleteMarkerEntry marker = withMarker.deleteMarkers().get(0);
        assertEquals(deleted.versionId(), marker.versionId());
        assertTrue(marker.isLatest());
        assertFalse(withMarker.versions().stream().anyMatch(ObjectVersion::isLatest));

        // removing the marker brings the object back; removing a version is for good
        DeleteObjectResponse unmarked = client.deleteObject(b -> b.bucket("ver").key("doc.txt")
                .versionId(deleted.versionId()));
        assertEquals(deleted.versionId(), unmarked.versionId());
        assertEquals("two", client.getObjectAsBytes(b -> b.bucket("ver").key("doc.txt")).asUtf8String());

        // a copy of an old version: the source's version authorized as a versioned read
        CopyObjectResponse copy = client.copyObject(b -> b.sourceBucket("ver").sourceKey("doc.txt")
                .sourceVersionId(v1.versionId()).destinationBucket("ver").destinationKey("restored.txt"));
        assertEquals(v1.versionId(), copy.copySourceVersionId());
        assertNotNull(copy.versionId());
        assertEquals("one", client.getObjectAsBytes(b -> b.bucket("ver").key("restored.txt")).asUtf8String());
        assertStatus(403, "AccessDenied", () -> reader.copyObject(b -> b.sourceBucket("ver").sourceKey("doc.txt")
                .sourceVersionId(v1.versionId()).destinationBucket("ver").destinationKey("stolen.txt")));

        client.deleteObject(b -> b.bucket("ver").key("doc.txt").versionId(v1.versionId()));
        assertStatus(404, null, () -> client.getObject(b -> b.bucket("ver").key("doc.txt")
                .versionId(v1.versionId())));
    }

    @Test
    @Order(4)
    void listingPagesThroughVersionsWithMarkers() {
        for (int i = 0; i < 3; i++) {
            String body = "page" + i;
            client.putObject(b -> b.bucket("ver").key("pages/a"), RequestBody.fromString(body));
            client.putObject(b -> b.bucket("ver").key("pages/b"), RequestBody.fromString(body));
        }
        client.putObject(b -> b.bucket("ver").key("pages/sub/c"), RequestBody.fromString("c"));
        ListObjectVersionsResponse first = client.listObjectVersions(b -> b.bucket("ver").prefix("pages/")
                .delimiter("/").maxKeys(4));
        assertTrue(first.isTruncated());
        assertEquals(4, first.versions().size());
        assertNotNull(first.nextKeyMarker());
        assertNotNull(first.nextVersionIdMarker());
        ListObjectVersionsResponse rest = client.listObjectVersions(b -> b.bucket("ver").prefix("pages/")
                .delimiter("/").keyMarker(first.nextKeyMarker()).versionIdMarker(first.nextVersionIdMarker()));
        assertFalse(rest.isTruncated());
        assertEquals(2, rest.versions().size());
        assertEquals(List.of("pages/sub/"), rest.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertStatus(400, "InvalidArgument", () -> client.listObjectVersions(b -> b.bucket("ver")
                .versionIdMarker("v")));
    }

    @Test
    @Order(5)
    void tagsOfVersions() {
        PutObjectResponse v1 = client.putObject(b -> b.bucket("ver").key("tagged.bin").tagging("project=blue&tier=hot"),
                RequestBody.fromString("v1"));
        PutObjectResponse v2 = client.putObject(b -> b.bucket("ver").key("tagged.bin"), RequestBody.fromString("v2"));
        GetObjectResponse current = client.getObject(b -> b.bucket("ver").key("tagged.bin")).response();
        assertNull(current.tagCount());
        GetObjectResponse old = client.getObjectAsBytes(b -> b.bucket("ver").key("tagged.bin")
                .versionId(v1.versionId())).response();
        assertEquals(2, old.tagCount());
        assertEquals(List.of(Tag.builder().key("project").value("blue").build(),
                Tag.builder().key("tier").value("hot").build()), client.getObjectTagging(b -> b.bucket("ver")
                .key("tagged.bin").versionId(v1.versionId())).tagSet());
        assertEquals(List.of(), client.getObjectTagging(b -> b.bucket("ver").key("tagged.bin")).tagSet());

        var put = client.putObjectTagging(b -> b.bucket("ver").key("tagged.bin").versionId(v2.versionId())
                .tagging(t -> t.tagSet(Tag.builder().key("state").value("final").build())));
        assertEquals(v2.versionId(), put.versionId());
        assertEquals(1, client.headObject(b -> b.bucket("ver").key("tagged.bin")).tagCount());
        client.deleteObjectTagging(b -> b.bucket("ver").key("tagged.bin").versionId(v1.versionId()));
        assertEquals(List.of(), client.getObjectTagging(b -> b.bucket("ver").key("tagged.bin")
                .versionId(v1.versionId())).tagSet());
        assertEquals(1, client.getObjectTagging(b -> b.bucket("ver").key("tagged.bin")).tagSet().size());

        // tagging a version reads it: get_object_version for the reader, whom S3 would refuse too
        assertStatus(403, "AccessDenied", () -> reader.getObjectTagging(b -> b.bucket("ver").key("tagged.bin")
                .versionId(v1.versionId())));
        assertStatus(400, "InvalidTag", () -> client.putObjectTagging(b -> b.bucket("ver").key("tagged.bin")
                .tagging(t -> t.tagSet(Tag.builder().key("k").value("1").build(),
                        Tag.builder().key("k").value("2").build()))));
    }
}
