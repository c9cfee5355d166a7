package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.S3ProxyServer;
import java.io.InputStream;
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
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * Copies between buckets and backends, UploadPartCopy, bucket creation and deletion on the S3 backend, gateway-mode
 * (pattern) buckets and ListBuckets paging, through the distribution with the AWS SDK and aws-cli. One gateway
 * serves two filesystem buckets ({@code fsa}, {@code fsb}), two S3Proxy buckets sharing one backend bucket
 * ({@code s3a}, {@code s3b}: copies between them stay on the store), an S3Proxy bucket of its own ({@code s3own}),
 * and two gateway-mode entries ({@code gw-*} on directories, {@code s3gw-*} on S3Proxy buckets).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyAndBucketsE2ETest {
    @TempDir
    static Path temp;

    S3ProxyServer s3proxy;
    MultistoreServer server;
    S3Client backend;
    S3Client client;
    S3Client reader;

    @BeforeAll
    void start() throws Exception {
        s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("shared");
        String s3 = """
                [buckets.backend_options]
                endpoint = "%s"
                access_key_id = "%s"
                secret_access_key = "%s"
                """.formatted(s3proxy.endpoint(), s3proxy.identity(), s3proxy.credential());
        String config = """
                [[buckets]]
                name = "fsa"
                backend_type = "fs"
                anonymous_access = false
                [buckets.backend_options]
                root = "%1$s/fsa"

                [[buckets]]
                name = "fsb"
                backend_type = "fs"
                anonymous_access = false
                [buckets.backend_options]
                root = "%1$s/fsb"

                [[buckets]]
                name = "gw-*"
                backend_type = "fs"
                anonymous_access = false
                [buckets.backend_options]
                root = "%1$s/gw/{bucket}"

                [[buckets]]
                name = "s3a"
                backend_type = "s3"
                backend_prefix = "a/"
                anonymous_access = false
                %2$s
                bucket_name = "shared"

                [[buckets]]
                name = "s3b"
                backend_type = "s3"
                backend_prefix = "b/"
                anonymous_access = false
                %2$s
                bucket_name = "shared"

                [[buckets]]
                name = "s3own"
                backend_type = "s3"
                anonymous_access = false
                %2$s
                bucket_name = "own"

                [[buckets]]
                name = "s3gw-*"
                backend_type = "s3"
                anonymous_access = false
                %2$s
                bucket_name = "{bucket}"

                [[credentials]]
                access_key_id = "%3$s"
                secret_access_key = "%4$s"
                principal_name = "copier"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "*"
                actions = [%5$s, "create_bucket", "delete_bucket"]

                [[credentials]]
                access_key_id = "%6$s"
                secret_access_key = "%7$s"
                principal_name = "fsb-only"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "fsb"
                actions = [%5$s]
                """.formatted(temp, s3, E2E.KEY, E2E.SECRET, quoted(LocalGateway.objectActions()), E2E.READER_KEY,
                E2E.READER_SECRET);
        Path file = temp.resolve("config.toml");
        Files.writeString(file, config);
        Files.createDirectories(temp.resolve("gw"));
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        server = MultistoreServer.start(home, file, List.of(), Map.of("JAVA_OPTS", "-Xmx256m"));
        backend = Clients.pathStyle(s3proxy.endpointUri(), s3proxy.identity(), s3proxy.credential());
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        reader = Clients.pathStyle(server.endpoint(), E2E.READER_KEY, E2E.READER_SECRET);
        E2E.awaitReady(client, server, "fsa");
    }

    private static String quoted(List<String> actions) {
        return String.join(", ", actions.stream().map(a -> "\"" + a + "\"").toList());
    }

    @AfterAll
    void stop() {
        Stream.of(client, reader, backend).filter(c -> c != null).forEach(S3Client::close);
        if (server != null) {
            server.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    private static byte[] bytes(int size, long seed) throws Exception {
        try (InputStream in = new PatternStream(size, seed)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"fsa,fsb", "fsa,s3a", "s3a,fsb", "s3a,s3b", "s3own,s3a", "fsa,fsa"})
    void copyObjectBetweenBucketsKeepsOrReplacesMetadata(String from, String to) throws Exception {
        byte[] data = bytes(300_000, from.hashCode());
        String key = "copy/" + from + "-" + to;
        if (from.equals("s3own")) {
            client.createBucket(b -> b.bucket("s3own"));
        }
        client.putObject(b -> b.bucket(from).key(key).contentType("text/x-source").metadata(Map.of("origin", from)),
                RequestBody.fromBytes(data));
        client.copyObject(b -> b.sourceBucket(from).sourceKey(key).destinationBucket(to).destinationKey(key + "-copy"));
        HeadObjectResponse copied = client.headObject(b -> b.bucket(to).key(key + "-copy"));
        assertEquals("text/x-source", copied.contentType());
        assertEquals(Map.of("origin", from), copied.metadata());
        assertArrayEquals(data, client.getObjectAsBytes(b -> b.bucket(to).key(key + "-copy")).asByteArray());

        client.copyObject(b -> b.sourceBucket(from).sourceKey(key).destinationBucket(to).destinationKey(key + "-new")
                .metadataDirective(MetadataDirective.REPLACE).contentType("text/x-new").metadata(Map.of("n", "1")));
        HeadObjectResponse replaced = client.headObject(b -> b.bucket(to).key(key + "-new"));
        assertEquals("text/x-new", replaced.contentType());
        assertEquals(Map.of("n", "1"), replaced.metadata());
        assertEquals(data.length, replaced.contentLength());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"fsa,fsa", "s3a,s3a", "fsa,s3b", "s3a,fsb", "s3a,s3b"})
    void uploadPartCopyAssemblesAnObjectFromRanges(String from, String to) throws Exception {
        int size = 6 * 1024 * 1024 + 1234;
        byte[] data = bytes(size, to.hashCode());
        String key = "parts/" + from + "-" + to;
        client.putObject(b -> b.bucket(from).key(key), RequestBody.fromBytes(data));
        String uploadId = client.createMultipartUpload(b -> b.bucket(to).key(key + "-assembled")).uploadId();
        int split = 5 * 1024 * 1024;
        UploadPartCopyResponse first = client.uploadPartCopy(b -> b.sourceBucket(from).sourceKey(key)
                .destinationBucket(to).destinationKey(key + "-assembled").uploadId(uploadId).partNumber(1)
                .copySourceRange("bytes=0-" + (split - 1)));
        UploadPartCopyResponse second = client.uploadPartCopy(b -> b.sourceBucket(from).sourceKey(key)
                .destinationBucket(to).destinationKey(key + "-assembled").uploadId(uploadId).partNumber(2)
                .copySourceRange("bytes=" + split + "-" + (size - 1)));
        assertNotNull(first.copyPartResult().eTag());
        assertNotNull(first.copyPartResult().lastModified());
        client.completeMultipartUpload(b -> b.bucket(to).key(key + "-assembled").uploadId(uploadId)
                .multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(first.copyPartResult().eTag()).build(),
                        CompletedPart.builder().partNumber(2).eTag(second.copyPartResult().eTag()).build())));
        assertArrayEquals(data, client.getObjectAsBytes(b -> b.bucket(to).key(key + "-assembled")).asByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fsa", "s3a"})
    void copyErrorsCarryS3Codes(String bucket) {
        String etag = client.putObject(b -> b.bucket(bucket).key("err/src"), RequestBody.fromString("0123456789"))
                .eTag();
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key("err/mp")).uploadId();
        try {
            assertStatus(404, "NoSuchKey", () -> client.copyObject(b -> b.sourceBucket(bucket).sourceKey("err/none")
                    .destinationBucket(bucket).destinationKey("err/t")));
            assertStatus(404, "NoSuchKey", () -> client.copyObject(b -> b.sourceBucket(bucket).sourceKey("err/none")
                    .destinationBucket("fsb").destinationKey("err/t")));
            assertStatus(404, "NoSuchBucket", () -> client.copyObject(b -> b.sourceBucket("nowhere")
                    .sourceKey("err/src").destinationBucket(bucket).destinationKey("err/t")));
            assertStatus(412, "PreconditionFailed", () -> client.copyObject(b -> b.sourceBucket(bucket)
                    .sourceKey("err/src").copySourceIfMatch("\"00000000000000000000000000000000\"")
                    .destinationBucket("fsb").destinationKey("err/t")));
            assertStatus(404, "NoSuchKey", () -> client.uploadPartCopy(b -> b.sourceBucket(bucket)
                    .sourceKey("err/none").destinationBucket(bucket).destinationKey("err/mp").uploadId(uploadId)
                    .partNumber(1)));
            assertStatus(416, "InvalidRange", () -> client.uploadPartCopy(b -> b.sourceBucket(bucket)
                    .sourceKey("err/src").copySourceRange("bytes=5-10").destinationBucket(bucket)
                    .destinationKey("err/mp").uploadId(uploadId).partNumber(1)));
            assertStatus(416, "InvalidRange", () -> client.uploadPartCopy(b -> b.sourceBucket(bucket)
                    .sourceKey("err/src").copySourceRange("bytes=20-30").destinationBucket(bucket)
                    .destinationKey("err/mp").uploadId(uploadId).partNumber(1)));
            assertStatus(400, "InvalidArgument", () -> client.uploadPartCopy(b -> b.sourceBucket(bucket)
                    .sourceKey("err/src").copySourceRange("bytes=5-").destinationBucket(bucket)
                    .destinationKey("err/mp").uploadId(uploadId).partNumber(1)));
            assertStatus(412, "PreconditionFailed", () -> client.uploadPartCopy(b -> b.sourceBucket(bucket)
                    .sourceKey("err/src").copySourceIfNoneMatch(etag).destinationBucket(bucket)
                    .destinationKey("err/mp").uploadId(uploadId).partNumber(1)));
            // the reader may write fsb but not read the source bucket
            assertStatus(403, "AccessDenied", () -> reader.copyObject(b -> b.sourceBucket(bucket).sourceKey("err/src")
                    .destinationBucket("fsb").destinationKey("err/t")));
            assertStatus(403, "AccessDenied", () -> reader.copyObject(b -> b.sourceBucket("fsb").sourceKey("err/t")
                    .destinationBucket(bucket).destinationKey("err/t")));
        } finally {
            client.abortMultipartUpload(b -> b.bucket(bucket).key("err/mp").uploadId(uploadId));
        }
    }

    @Test
    void awsCliCopiesTenMebibytesWithinAndBetweenBackends() throws Exception {
        AwsCli.requireInstalled();
        Path work = Files.createDirectories(temp.resolve("cli"));
        AwsCli aws = new AwsCli(server.endpoint(), work);
        Path big = work.resolve("big.bin");
        try (InputStream in = new PatternStream(10L << 20, 77)) {
            Files.copy(in, big);
        }
        byte[] data = Files.readAllBytes(big);
        aws.ok(E2E.KEY, E2E.SECRET, "s3", "cp", big.toString(), "s3://fsa/cli/big.bin");
        // ≥ 8 MiB: aws-cli copies S3 to S3 with CreateMultipartUpload + UploadPartCopy
        aws.ok(E2E.KEY, E2E.SECRET, "s3", "cp", "s3://fsa/cli/big.bin", "s3://fsa/cli/big2.bin");
        aws.ok(E2E.KEY, E2E.SECRET, "s3", "cp", "s3://fsa/cli/big.bin", "s3://s3a/cli/big.bin");
        aws.ok(E2E.KEY, E2E.SECRET, "s3", "cp", "s3://s3a/cli/big.bin", "s3://s3b/cli/big.bin");
        aws.ok(E2E.KEY, E2E.SECRET, "s3", "cp", "s3://s3b/cli/big.bin", "s3://fsb/cli/big.bin");
        for (String[] target : new String[][] {{"fsa", "cli/big2.bin"}, {"s3a", "cli/big.bin"},
                {"s3b", "cli/big.bin"}, {"fsb", "cli/big.bin"}}) {
            assertArrayEquals(data, client.getObjectAsBytes(b -> b.bucket(target[0]).key(target[1])).asByteArray(),
                    target[0] + "/" + target[1]);
        }
        // the S3 copy stayed on the store: the backend holds it under s3b's prefix
        assertEquals(data.length, backend.headObject(b -> b.bucket("shared").key("b/cli/big.bin")).contentLength());
        AwsCli.Result denied = aws.call(E2E.READER_KEY, E2E.READER_SECRET, "s3", "cp", "s3://fsa/cli/big.bin",
                "s3://fsb/cli/denied.bin");
        // aws-cli reads the source's HEAD first: a 403 without a body
        assertTrue(denied.exitCode() != 0 && denied.output().contains("(403)"), denied.output());
    }

    @Test
    void createAndDeleteBucketOnTheS3Backend() {
        client.createBucket(b -> b.bucket("s3own"));
        client.createBucket(b -> b.bucket("s3own")); // already there: success, as S3 answers in us-east-1
        backend.headBucket(b -> b.bucket("own"));
        client.putObject(b -> b.bucket("s3own").key("k"), RequestBody.fromString("v"));
        assertStatus(409, "BucketNotEmpty", () -> client.deleteBucket(b -> b.bucket("s3own")));
        client.deleteObject(b -> b.bucket("s3own").key("k"));
        // ...unless another test's copies are still in it
        client.listObjectsV2Paginator(b -> b.bucket("s3own")).contents()
                .forEach(o -> client.deleteObject(b -> b.bucket("s3own").key(o.key())));
        client.deleteBucket(b -> b.bucket("s3own"));
        assertStatus(404, "NoSuchBucket", () -> backend.headBucket(b -> b.bucket("own")));
        assertStatus(404, "NoSuchBucket", () -> client.listObjectsV2(b -> b.bucket("s3own")));
        // a bucket on a prefix of a shared backend bucket is never deleted through the gateway
        assertStatus(400, "InvalidRequest", () -> client.deleteBucket(b -> b.bucket("s3a")));
        backend.headBucket(b -> b.bucket("shared"));
    }

    @Test
    void gatewayModeBucketsAreCreatedListedAndDeletedOnTheirBackends() {
        assertStatus(404, "NoSuchBucket", () -> client.headBucket(b -> b.bucket("gw-one")));
        assertFalse(Files.exists(temp.resolve("gw/gw-one")), "a request naming a bucket must not create it");
        client.createBucket(b -> b.bucket("gw-one"));
        assertTrue(Files.isDirectory(temp.resolve("gw/gw-one")));
        client.headBucket(b -> b.bucket("gw-one"));
        client.putObject(b -> b.bucket("gw-one").key("k"), RequestBody.fromString("in gw-one"));
        assertEquals("in gw-one", client.getObjectAsBytes(b -> b.bucket("gw-one").key("k")).asUtf8String());

        assertStatus(404, "NoSuchBucket", () -> client.headBucket(b -> b.bucket("s3gw-x")));
        client.createBucket(b -> b.bucket("s3gw-x"));
        backend.headBucket(b -> b.bucket("s3gw-x"));
        client.putObject(b -> b.bucket("s3gw-x").key("k"), RequestBody.fromString("in s3gw-x"));
        assertEquals("in s3gw-x", backend.getObjectAsBytes(b -> b.bucket("s3gw-x").key("k")).asUtf8String());
        // a copy between two gateway-mode buckets on different backends
        client.copyObject(b -> b.sourceBucket("s3gw-x").sourceKey("k").destinationBucket("gw-one").destinationKey("c"));
        assertEquals("in s3gw-x", client.getObjectAsBytes(b -> b.bucket("gw-one").key("c")).asUtf8String());

        List<String> names = client.listBuckets().buckets().stream().map(Bucket::name).toList();
        assertTrue(names.containsAll(List.of("fsa", "fsb", "gw-one", "s3a", "s3gw-x")), names.toString());
        assertFalse(names.contains("gw-*") || names.contains("s3gw-*") || names.contains("shared"), names.toString());
        // the fsb-only reader sees only fsb
        assertEquals(List.of("fsb"), reader.listBuckets().buckets().stream().map(Bucket::name).toList());
        // scopes govern creation: the reader has no create_bucket
        assertStatus(403, "AccessDenied", () -> reader.createBucket(b -> b.bucket("gw-two")));

        assertStatus(409, "BucketNotEmpty", () -> client.deleteBucket(b -> b.bucket("gw-one")));
        client.deleteObject(b -> b.bucket("gw-one").key("k"));
        client.deleteObject(b -> b.bucket("gw-one").key("c"));
        client.deleteBucket(b -> b.bucket("gw-one"));
        assertFalse(Files.exists(temp.resolve("gw/gw-one")));
        client.deleteObject(b -> b.bucket("s3gw-x").key("k"));
        client.deleteBucket(b -> b.bucket("s3gw-x"));
        assertStatus(404, "NoSuchBucket", () -> backend.headBucket(b -> b.bucket("s3gw-x")));
        List<String> after = client.listBuckets().buckets().stream().map(Bucket::name).toList();
        assertFalse(after.contains("gw-one") || after.contains("s3gw-x"), after.toString());
    }

    @Test
    void listBucketsPagesWithMaxBucketsPrefixAndContinuationToken() {
        List<String> all = client.listBuckets().buckets().stream().map(Bucket::name).toList();
        assertEquals(all.stream().sorted().toList(), all, "ListBuckets lists in name order");
        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListBucketsResponse page = client.listBuckets(b -> b.maxBuckets(2).continuationToken(t));
            assertTrue(page.buckets().size() <= 2);
            page.buckets().forEach(bucket -> paged.add(bucket.name()));
            token = page.continuationToken();
            pages++;
        } while (token != null && pages < 20);
        assertEquals(all, paged);
        assertTrue(pages >= 2, "paged in " + pages);
        ListBucketsResponse s3 = client.listBuckets(b -> b.prefix("s3"));
        assertEquals(all.stream().filter(n -> n.startsWith("s3")).toList(),
                s3.buckets().stream().map(Bucket::name).toList());
        assertEquals("s3", s3.prefix());
        assertNull(s3.continuationToken());
        assertEquals("us-east-1", s3.buckets().get(0).bucketRegion());
        assertEquals(0, client.listBuckets(b -> b.bucketRegion("eu-west-1")).buckets().size());
        assertStatus(400, "InvalidArgument", () -> client.listBuckets(b -> b.maxBuckets(0)));
        assertStatus(400, "InvalidArgument", () -> client.listBuckets(b -> b.continuationToken("!!not-base64!!")));
    }
}
