package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Tags and the never-versioned answers through the distribution on stores without versions: the {@code fs}
 * backend ({@code local}), which keeps tags in its object files, and S3Proxy's filesystem store behind the {@code s3}
 * backend ({@code proxy}), which has neither versions nor tags.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TagsAndUnversionedE2ETest {

    @TempDir
    static Path temp;

    S3ProxyServer s3proxy;
    MultistoreServer server;
    S3Client client;

    @BeforeAll
    void start() throws IOException {
        s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("backend");
        Path config = temp.resolve("config.toml");
        Files.writeString(config, """
                [[buckets]]
                name = "local"
                backend_type = "fs"
                anonymous_access = false
                [buckets.backend_options]
                root = "%s"
                """.formatted(temp.resolve("fs"))
                + E2E.s3Bucket("proxy", "gw/", s3proxy.endpoint(), "backend", s3proxy.identity(),
                        s3proxy.credential())
                + E2E.credential(E2E.KEY, E2E.SECRET, "e2e", "*", E2E.ALL_ACTIONS));
        Files.createDirectories(temp.resolve("fs"));
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        server = MultistoreServer.start(home, config, List.of(), Map.of("JAVA_OPTS", "-Xmx256m"));
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        E2E.awaitReady(client, server, "local");
        E2E.awaitReady(client, server, "proxy");
    }

    @AfterAll
    void stop() {
        Stream.of(client).filter(c -> c != null).forEach(S3Client::close);
        if (server != null) {
            server.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "proxy"})
    void aStoreWithoutVersionsAnswersAsANeverVersionedBucket(String bucket) {
        for (String key : List.of("v/a.txt", "v/b.txt", "v/sub/c.txt", "v/sub/d.txt")) {
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        assertNull(client.getBucketVersioning(b -> b.bucket(bucket)).status());

        ListObjectVersionsResponse all = client.listObjectVersions(b -> b.bucket(bucket).prefix("v/"));
        assertEquals(List.of("v/a.txt", "v/b.txt", "v/sub/c.txt", "v/sub/d.txt"), all.versions().stream()
                .map(ObjectVersion::key).toList());
        assertTrue(all.versions().stream().allMatch(v -> v.versionId().equals("null") && v.isLatest()));
        assertEquals(List.of(), all.deleteMarkers());
        assertEquals(7L, all.versions().get(0).size());

        ListObjectVersionsResponse page = client.listObjectVersions(b -> b.bucket(bucket).prefix("v/")
                .delimiter("/").maxKeys(1));
        assertTrue(page.isTruncated());
        assertEquals("v/a.txt", page.nextKeyMarker());
        assertEquals("null", page.nextVersionIdMarker());
        ListObjectVersionsResponse rest = client.listObjectVersions(b -> b.bucket(bucket).prefix("v/")
                .delimiter("/").keyMarker(page.nextKeyMarker()).versionIdMarker(page.nextVersionIdMarker()));
        assertEquals(List.of("v/b.txt"), rest.versions().stream().map(ObjectVersion::key).toList());
        assertEquals(List.of("v/sub/"), rest.commonPrefixes().stream().map(p -> p.prefix()).toList());

        assertEquals("v/a.txt", client.getObjectAsBytes(b -> b.bucket(bucket).key("v/a.txt").versionId("null"))
                .asUtf8String());
        assertEquals(7L, client.headObject(b -> b.bucket(bucket).key("v/a.txt").versionId("null"))
                .contentLength());
        assertStatus(400, "InvalidArgument", () -> client.getObject(b -> b.bucket(bucket).key("v/a.txt")
                .versionId("3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY")));
        // HEAD answers carry no error document: the status is all there is
        assertStatus(400, null, () -> client.headObject(b -> b.bucket(bucket).key("v/a.txt")
                .versionId("abc")));
        assertStatus(400, "InvalidArgument", () -> client.deleteObject(b -> b.bucket(bucket).key("v/a.txt")
                .versionId("abc")));
        assertStatus(400, "InvalidArgument", () -> client.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("v/a.txt").sourceVersionId("abc").destinationBucket(bucket).destinationKey("v/x")));
        assertEquals("v/a.txt", client.getObjectAsBytes(b -> b.bucket(bucket).key("v/a.txt")).asUtf8String());
        client.copyObject(b -> b.sourceBucket(bucket).sourceKey("v/a.txt").sourceVersionId("null")
                .destinationBucket(bucket).destinationKey("v/copy.txt"));
        assertEquals("v/a.txt", client.getObjectAsBytes(b -> b.bucket(bucket).key("v/copy.txt")).asUtf8String());

        client.deleteObject(b -> b.bucket(bucket).key("v/a.txt").versionId("null"));
        assertStatus(404, "NoSuchKey", () -> client.getObject(b -> b.bucket(bucket).key("v/a.txt")));
    }

    @Test
    void versioningCannotBeSwitchedOnWithoutVersions() throws IOException {
        assertStatus(501, "NotImplemented", () -> client.putBucketVersioning(b -> b.bucket("local")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED))));
        // S3Proxy itself refuses it: passed through
        assertStatus(501, "NotImplemented", () -> client.putBucketVersioning(b -> b.bucket("proxy")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED))));
        assertRawPut(400, "MalformedXML", "/local?versioning",
                "<VersioningConfiguration><Status>Maybe</Status></VersioningConfiguration>");
    }

    @Test
    void tagsOnTheFilesystem() {
        client.putObject(b -> b.bucket("local").key("t/obj").tagging("project=blue&note=a%20b%2Bc"),
                RequestBody.fromString("tagged"));
        var head = client.headObject(b -> b.bucket("local").key("t/obj"));
        assertEquals(2, head.tagCount());
        assertEquals(2, client.getObjectAsBytes(b -> b.bucket("local").key("t/obj")).response().tagCount());
        assertEquals(List.of(tag("project", "blue"), tag("note", "a b+c")), client.getObjectTagging(b -> b
                .bucket("local").key("t/obj")).tagSet());

        client.putObjectTagging(b -> b.bucket("local").key("t/obj").tagging(t -> t.tagSet(tag("state", "done"))));
        assertEquals(List.of(tag("state", "done")), client.getObjectTagging(b -> b.bucket("local").key("t/obj"))
                .tagSet());
        assertEquals(head.eTag(), client.headObject(b -> b.bucket("local").key("t/obj")).eTag());
        assertEquals("tagged", client.getObjectAsBytes(b -> b.bucket("local").key("t/obj")).asUtf8String());
        assertEquals(List.of(tag("state", "done")), client.getObjectTagging(b -> b.bucket("local").key("t/obj")
                .versionId("null")).tagSet());

        // copies keep the source's tags unless told to replace them
        client.copyObject(b -> b.sourceBucket("local").sourceKey("t/obj").destinationBucket("local")
                .destinationKey("t/copy"));
        assertEquals(List.of(tag("state", "done")), client.getObjectTagging(b -> b.bucket("local").key("t/copy"))
                .tagSet());
        client.copyObject(b -> b.sourceBucket("local").sourceKey("t/obj").destinationBucket("local")
                .destinationKey("t/retagged").taggingDirective(TaggingDirective.REPLACE).tagging("fresh=1"));
        assertEquals(List.of(tag("fresh", "1")), client.getObjectTagging(b -> b.bucket("local").key("t/retagged"))
                .tagSet());

        // multipart uploads carry their tags to the completed object
        String id = client.createMultipartUpload(b -> b.bucket("local").key("t/mp").tagging("mp=yes")).uploadId();
        String etag = client.uploadPart(b -> b.bucket("local").key("t/mp").uploadId(id).partNumber(1),
                RequestBody.fromString("part")).eTag();
        client.completeMultipartUpload(b -> b.bucket("local").key("t/mp").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertEquals(List.of(tag("mp", "yes")), client.getObjectTagging(b -> b.bucket("local").key("t/mp"))
                .tagSet());

        client.deleteObjectTagging(b -> b.bucket("local").key("t/obj"));
        assertEquals(List.of(), client.getObjectTagging(b -> b.bucket("local").key("t/obj")).tagSet());
        assertNull(client.headObject(b -> b.bucket("local").key("t/obj")).tagCount());

        client.deleteObject(b -> b.bucket("local").key("t/obj"));
        assertStatus(404, "NoSuchKey", () -> client.getObjectTagging(b -> b.bucket("local").key("t/obj")));
        assertStatus(404, "NoSuchKey", () -> client.putObjectTagging(b -> b.bucket("local").key("t/obj")
                .tagging(t -> t.tagSet(tag("a", "b")))));
    }

    @Test
    void badTagsGetS3sErrors() throws IOException {
        client.putObject(b -> b.bucket("local").key("bad/obj"), RequestBody.fromString("x"));
        List<Tag> eleven = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            eleven.add(tag("k" + i, "v"));
            header.append(i == 0 ? "" : "&").append("k").append(i).append("=v");
        }
        assertStatus(400, "InvalidTag", () -> client.putObjectTagging(b -> b.bucket("local").key("bad/obj")
                .tagging(t -> t.tagSet(eleven))));
        assertStatus(400, "InvalidTag", () -> client.putObjectTagging(b -> b.bucket("local").key("bad/obj")
                .tagging(t -> t.tagSet(tag("k".repeat(129), "v")))));
        assertStatus(400, "InvalidTag", () -> client.putObjectTagging(b -> b.bucket("local").key("bad/obj")
                .tagging(t -> t.tagSet(tag("k", "v".repeat(257))))));
        assertStatus(400, "InvalidTag", () -> client.putObjectTagging(b -> b.bucket("local").key("bad/obj")
                .tagging(t -> t.tagSet(tag("k", "1"), tag("k", "2")))));
        assertStatus(400, "InvalidTag", () -> client.putObject(b -> b.bucket("local").key("bad/new")
                .tagging(header.toString()), RequestBody.fromString("x")));
        assertStatus(400, "InvalidTag", () -> client.putObject(b -> b.bucket("local").key("bad/new")
                .tagging("a=1&a=2"), RequestBody.fromString("x")));
        assertStatus(400, "InvalidTag", () -> client.putObjectTagging(b -> b.bucket("local").key("bad/obj")
                .tagging(t -> t.tagSet(tag("k", "<script>")))));
        assertStatus(404, "NoSuchKey", () -> client.getObject(b -> b.bucket("local").key("bad/new")));
        assertRawPut(400, "MalformedXML", "/local/bad/obj?tagging", "<Tagging><Tag/></Tagging>");
        assertRawPut(400, "MalformedXML", "/local/bad/obj?tagging", "<Tagging><TagSet>");
        assertStatus(400, "InvalidArgument", () -> client.getObjectTagging(b -> b.bucket("local").key("bad/obj")
                .versionId("abc")));
    }

    @Test
    void aBackendWithoutTagsSaysSo() {
        client.putObject(b -> b.bucket("proxy").key("t/plain"), RequestBody.fromString("x"));
        // S3Proxy's filesystem store keeps no tags: its refusal passes through
        assertStatus(501, "NotImplemented", () -> client.getObjectTagging(b -> b.bucket("proxy").key("t/plain")));
        assertStatus(501, "NotImplemented", () -> client.putObjectTagging(b -> b.bucket("proxy").key("t/plain")
                .tagging(t -> t.tagSet(tag("a", "b")))));
        // bucket tagging is not served
        assertStatus(501, "NotImplemented", () -> client.getBucketTagging(b -> b.bucket("local")));
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /** A signed PUT of an XML body the SDK would never send (malformed documents): asserts S3's error. */
    private void assertRawPut(int status, String code, String target, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(server.endpoint() + target);
        List<String[]> headers = RawHttp.signed("PUT", uri, List.<String[]>of(new String[] {"Content-Type",
                "application/xml"}), body, E2E.KEY, E2E.SECRET);
        RawHttp.Response response = RawHttp.send(server.port(), "PUT", target, headers, body);
        String text = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.status(), text);
        assertTrue(text.contains("<Code>" + code + "</Code>"), text);
    }
}
