package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The filesystem backend through the distribution: large objects through a small heap, an upload cut off
 * mid-body, and CreateBucket / DeleteBucket on the bucket's directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilesystemE2ETest {
    @TempDir
    static Path temp;

    LocalGateway gateway;
    MultistoreServer server;
    S3Client client;
    Path root;

    @BeforeAll
    void start() throws Exception {
        List<String> actions = new java.util.ArrayList<>(LocalGateway.objectActions());
        actions.addAll(List.of("create_bucket", "delete_bucket"));
        gateway = LocalGateway.start(temp, true, actions, Map.of("JAVA_OPTS", "-Xmx256m"));
        server = gateway.server;
        client = gateway.client;
        root = gateway.root;
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void oneGibibyteStreamsThroughASmallHeap() throws Exception {
        E2E.largeRoundTrip(client, server, "local", "large/1gib.bin", 1L << 30);
    }

    @Test
    void anUploadCutOffMidBodyLeavesNothing() throws Exception {
        client.putObject(b -> b.bucket("local").key("cut/object"), RequestBody.fromString("previous version"));
        // an unsigned-payload PUT is allowed only when signed; an anonymous one is refused before the body, so cut a
        // signed upload short with a raw socket: headers promise 8 MiB, 1 MiB arrives, then the client vanishes
        var signed = E2E.signedPut(server.endpoint().resolve("/local/cut/object"), 8L << 20);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder("PUT /local/cut/object HTTP/1.1\r\n");
            signed.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(8L << 20).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1 << 20]);
            out.flush();
            // the server is writing the body into its staging area: now the client vanishes
            server.await("a staging file", java.time.Duration.ofSeconds(30), () -> stagingFiles() > 0);
        }
        // the staging file goes as soon as the server notices, and the previous version was never touched
        server.await("the staging file to go", java.time.Duration.ofSeconds(30), () -> stagingFiles() == 0);
        assertEquals("previous version", client.getObjectAsBytes(b -> b.bucket("local").key("cut/object"))
                .asUtf8String());
        client.deleteObject(b -> b.bucket("local").key("cut/object"));
    }

    @Test
    void awsCliCopiesListsAndSyncs() throws Exception {
        AwsCli.requireInstalled();
        Path work = Files.createDirectories(temp.resolve("cli"));
        AwsCli aws = new AwsCli(server.endpoint(), work);
        // 20 MiB: over the CLI's 8 MiB multipart threshold, so this is a multipart upload with several parts
        Path big = work.resolve("big.bin");
        try (InputStream in = new PatternStream(20L << 20, 5)) {
            Files.copy(in, big);
        }
        Files.writeString(work.resolve("small file.txt"), "hello from aws-cli");
        aws.ok(E2E.KEY, E2E.SECRET, "s3", "cp", big.toString(), "s3://local/cli/big.bin");
        aws.ok(E2E.KEY, E2E.SECRET, "s3", "cp", work.resolve("small file.txt").toString(),
                "s3://local/cli/dir/small file.txt");
        String listing = aws.ok(E2E.KEY, E2E.SECRET, "s3", "ls", "--recursive", "s3://local/cli/");
        org.junit.jupiter.api.Assertions.assertTrue(listing.contains("cli/big.bin")
                && listing.contains("cli/dir/small file.txt"), listing);

        Path back = work.resolve("back.bin");
        aws.ok(E2E.KEY, E2E.SECRET, "s3", "cp", "s3://local/cli/big.bin", back.toString());
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(back));
        String head = aws.ok(E2E.KEY, E2E.SECRET, "s3api", "head-object", "--bucket", "local", "--key", "cli/big.bin");
        org.junit.jupiter.api.Assertions.assertTrue(head.contains("-3\\\""), head); // md5-of-md5s over 3 parts

        Path mirror = Files.createDirectories(temp.resolve("cli-mirror"));
        aws.ok(E2E.KEY, E2E.SECRET, "s3", "sync", "s3://local/cli/dir/", mirror.toString());
        assertEquals("hello from aws-cli", Files.readString(mirror.resolve("small file.txt")));

        AwsCli.Result denied = aws.call(E2E.KEY, "wrong-secret", "s3", "ls", "s3://local/cli/");
        org.junit.jupiter.api.Assertions.assertNotEquals(0, denied.exitCode());
        org.junit.jupiter.api.Assertions.assertTrue(denied.output().contains("SignatureDoesNotMatch"), denied.output());

        aws.ok(E2E.KEY, E2E.SECRET, "s3", "rm", "--recursive", "s3://local/cli/");
        assertEquals(List.of(), client.listObjectsV2(b -> b.bucket("local").prefix("cli/")).contents());
    }

    private long stagingFiles() throws Exception {
        Path staging = root.resolve(".multistore/tmp");
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(staging)) {
            return files.count();
        }
    }

    @Test
    void deleteBucketRemovesTheDirectoryAndCreateBucketRestoresIt() {
        client.putObject(b -> b.bucket("local").key("bucket-test/k"), RequestBody.fromString("v"));
        assertStatus(409, "BucketNotEmpty", () -> client.deleteBucket(b -> b.bucket("local")));
        client.deleteObject(b -> b.bucket("local").key("bucket-test/k"));
        client.deleteBucket(b -> b.bucket("local"));
        assertFalse(Files.exists(root));
        assertStatus(404, "NoSuchBucket", () -> client.listObjectsV2(b -> b.bucket("local")));
        client.createBucket(b -> b.bucket("local"));
        client.putObject(b -> b.bucket("local").key("bucket-test/again"), RequestBody.fromString("v"));
        assertEquals(List.of("bucket-test/again"), client.listObjectsV2(b -> b.bucket("local").prefix("bucket-test/"))
                .contents().stream().map(S3Object::key).toList());
        client.deleteObject(b -> b.bucket("local").key("bucket-test/again"));
        // a bucket that is not configured cannot be created: buckets are the operator's configuration
        assertStatus(404, "NoSuchBucket", () -> client.createBucket(b -> b.bucket("not-configured")));
    }
}
