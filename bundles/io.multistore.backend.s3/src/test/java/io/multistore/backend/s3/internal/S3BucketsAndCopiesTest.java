package io.multistore.backend.s3.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.Preconditions;
import io.multistore.lib.dataplane.PooledHttpTransport;
import io.multistore.lib.dataplane.TransportSettings;
import io.multistore.testsupport.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CreateBucket, DeleteBucket, copies between two stores and gateway-mode listing, against S3Proxy. */
class S3BucketsAndCopiesTest {

    private static S3ProxyServer s3proxy;
    private static PooledHttpTransport transport;
    private static S3Backend backend;

    @BeforeAll
    static void start() {
        s3proxy = S3ProxyServer.start();
        transport = new PooledHttpTransport(TransportSettings.DEFAULT);
        backend = new S3Backend(transport);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    private static BucketConfig config(String name, String bucketName) {
        Map<String, String> options = new HashMap<>();
        options.put("endpoint", s3proxy.endpoint());
        options.put("bucket_name", bucketName);
        options.put("access_key_id", s3proxy.identity());
        options.put("secret_access_key", s3proxy.credential());
        return new BucketConfig(name, "s3", "", false, List.of(), options);
    }

    private static byte[] bytes(int n, long seed) {
        byte[] data = new byte[n];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static ObjectBody body(byte[] data) {
        return new ObjectBody(new ByteArrayInputStream(data), data.length);
    }

    @Test
    void createAndDeleteTheBackendBucket() {
        try (var store = backend.open(config("v", "made-by-gateway"))) {
            store.createBucket();
            store.createBucket(); // already owned: success
            store.put("k", body(new byte[] {1}), ObjectAttributes.NONE, Preconditions.NONE);
            assertEquals(S3ErrorCode.BucketNotEmpty, assertThrows(S3Exception.class, store::deleteBucket).code());
            store.delete("k");
            store.deleteBucket();
            assertEquals(S3ErrorCode.NoSuchBucket, assertThrows(S3Exception.class,
                    () -> store.put("k", body(new byte[] {1}), ObjectAttributes.NONE, Preconditions.NONE)).code());
        }
    }

    @Test
    void copiesAndPartCopiesBetweenTwoBucketsOfOneAccount() throws IOException {
        String a = s3proxy.createBucket();
        String b = s3proxy.createBucket();
        byte[] data = bytes(6 * 1024 * 1024 + 77, 3);
        try (var source = (S3ObjectStore) backend.open(config("a", a));
                var target = (S3ObjectStore) backend.open(config("b", b))) {
            assertTrue(target.sameAccount(source));
            source.put("src", body(data), new ObjectAttributes("text/x-a", null, null, null, null, null,
                    Map.of("m", "1")), Preconditions.NONE);
            target.copyFrom(source, "src", Preconditions.NONE, "copy", null);
            try (ObjectContent c = target.get("copy", null, Preconditions.NONE)) {
                assertArrayEquals(data, c.stream().readAllBytes());
                assertEquals("text/x-a", c.meta().attributes().contentType());
                assertEquals(Map.of("m", "1"), c.meta().attributes().userMetadata());
            }
            String upload = target.createMultipartUpload("assembled", ObjectAttributes.NONE);
            int split = 5 * 1024 * 1024;
            PartInfo p1 = target.uploadPartCopy(source, "src", new ByteRange(0, split - 1, -1), Preconditions.NONE,
                    "assembled", upload, 1);
            PartInfo p2 = target.uploadPartCopy(source, "src", new ByteRange(split, data.length - 1, -1),
                    Preconditions.NONE, "assembled", upload, 2);
            target.completeMultipartUpload("assembled", upload, List.of(new CompletedPart(1, p1.etag()),
                    new CompletedPart(2, p2.etag())));
            try (ObjectContent c = target.get("assembled", null, Preconditions.NONE)) {
                assertArrayEquals(data, c.stream().readAllBytes());
            }
            assertEquals(S3ErrorCode.NoSuchKey, assertThrows(S3Exception.class, () -> target.copyFrom(source,
                    "none", Preconditions.NONE, "x", null)).code());
            assertEquals(S3ErrorCode.PreconditionFailed, assertThrows(S3Exception.class, () -> target.copyFrom(
                    source, "src", new Preconditions(List.of("\"0\""), List.of(), null, null), "x", null)).code());
        }
    }

    @Test
    void anotherAccountIsNotTheSameAccount() {
        BucketConfig other = config("o", "x");
        Map<String, String> options = new HashMap<>(other.backendOptions());
        options.put("secret_access_key", "another-secret");
        try (var a = (S3ObjectStore) backend.open(config("a", "x"));
                var b = (S3ObjectStore) backend.open(new BucketConfig("o", "s3", "", false, List.of(), options))) {
            assertFalse(a.sameAccount(b));
        }
    }

    @Test
    void bucketNamesListsTheBackendBucketsThatFitTheTemplate() {
        s3proxy.createBucket("gwt-one");
        s3proxy.createBucket("gwt-two");
        List<String> names = backend.bucketNames(config("gwt-*", "gwt-{bucket}"));
        assertTrue(names.containsAll(List.of("one", "two")), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("gwt-")), names.toString());
        assertEquals(List.of(), backend.bucketNames(config("fixed-*", "fixed")));
        assertTrue(Arrays.asList(names.toArray()).size() >= 2);
    }
}
