package io.multistore.backend.fs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.Preconditions;
import io.multistore.testsupport.Await;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsBackendTest {

    @TempDir
    Path dir;

    private final List<FsBackend> backends = new java.util.ArrayList<>();

    private FsBackend backend(Duration staleAge, Duration sweepInterval) {
        FsBackend b = new FsBackend(staleAge, sweepInterval);
        backends.add(b);
        return b;
    }

    private FsBackend backend() {
        return backend(Duration.ofHours(24), Duration.ofHours(1));
    }

    @org.junit.jupiter.api.AfterEach
    void stopSweepers() {
        backends.forEach(FsBackend::deactivate);
    }

    @Test
    void aMissingOrInvalidRootIsTheOperatorsFaultNotTheCallers() {
        FsBackend backend = backend();
        S3Exception e = assertThrows(S3Exception.class, () -> backend.open(bucket(Map.of())));
        assertEquals(S3ErrorCode.ServiceUnavailable, e.code());
        assertTrue(e.getMessage().contains("root"), "the log names the option: " + e.getMessage());
        S3Exception bad = assertThrows(S3Exception.class,
                () -> backend.open(bucket(Map.of("root", "bad\u0000path"))));
        assertEquals(S3ErrorCode.ServiceUnavailable, bad.code());
        assertFalse(bad.clientMessage().contains("path"), bad.clientMessage());
        assertEquals(Set.of("root"), backend.optionNames());
    }

    @Test
    void clientMessagesNeverNameTheDirectory() throws IOException {
        Path root = dir.resolve("hidden-location");
        try (ObjectStore store = backend().open(bucket(Map.of("root", root.toString())))) {
            store.deleteBucket();
            for (Runnable op : List.<Runnable>of(store::deleteBucket, () -> store.head("k", Preconditions.NONE),
                    () -> store.put("k", new ObjectBody(new ByteArrayInputStream(new byte[1]), 1),
                            ObjectAttributes.NONE, Preconditions.NONE))) {
                S3Exception e = assertThrows(S3Exception.class, op::run);
                assertEquals(S3ErrorCode.NoSuchBucket, e.code());
                assertFalse(e.clientMessage().contains("hidden-location"), e.clientMessage());
                assertTrue(e.getMessage().contains("hidden-location"), "the log keeps it: " + e.getMessage());
            }
        }
    }

    @Test
    void staleUploadsAreSweptPeriodicallyOffTheRequestThread() throws IOException {
        Path root = dir.resolve("swept");
        FsBackend backend = backend(Duration.ofHours(2), Duration.ofMillis(100));
        try (ObjectStore store = backend.open(bucket(Map.of("root", root.toString())))) {
            String id = store.createMultipartUpload("abandoned-later", ObjectAttributes.NONE);
            Path upload = root.resolve(".multistore/uploads").resolve(id);
            Files.setLastModifiedTime(upload, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
            Await.waitFor(Duration.ofSeconds(10), () -> !Files.exists(upload), "the periodic sweep");
        }
    }

    @Test
    void opensAndCreatesTheDirectory() {
        Path root = dir.resolve("new/bucket");
        try (ObjectStore store = backend().open(bucket(Map.of("root", root.toString())))) {
            store.put("k", new ObjectBody(new ByteArrayInputStream(new byte[] {1}), 1), ObjectAttributes.NONE,
                    Preconditions.NONE);
        }
        assertTrue(Files.isRegularFile(root.resolve("k")));
    }

    @Test
    void relativeRootResolvesAgainstTheWorkingDirectory() throws IOException {
        String relative = "target/fs-backend-test-" + UUID.randomUUID();
        Path expected = Path.of("").toAbsolutePath().resolve(relative);
        try {
            backend().open(bucket(Map.of("root", relative))).close();
            assertTrue(Files.isDirectory(expected.resolve(FsObjectStore.STAGING)));
        } finally {
            try (Stream<Path> walk = Files.walk(expected)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void firstOpenSweepsStaleUploads() throws IOException {
        Path root = dir.resolve("bucket");
        String id;
        try (FsObjectStore store = new FsObjectStore(root)) {
            id = store.createMultipartUpload("abandoned", ObjectAttributes.NONE);
        }
        Path upload = root.resolve(".multistore/uploads").resolve(id);
        Files.setLastModifiedTime(upload, FileTime.from(Instant.now().minus(Duration.ofHours(3))));

        FsBackend backend = backend(Duration.ofHours(2), Duration.ofHours(1));
        try (ObjectStore store = backend.open(bucket(Map.of("root", root.toString())))) {
            Await.waitFor(Duration.ofSeconds(10), () -> !Files.exists(upload), "the first sweep");
            assertEquals(List.of(), store.listMultipartUploads("", null, null, 100).uploads());
        }
    }

    @Test
    void negativeAgeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FsBackend(Duration.ofHours(-1),
                Duration.ofHours(1)));
    }

    private static BucketConfig bucket(Map<String, String> options) {
        return new BucketConfig("files", "fs", "", false, List.of(), options);
    }

    @Test
    void aGatewayModeBucketExistsOnlyOnceCreatedAndIsListedByItsTemplate() throws IOException {
        FsBackend backend = backend();
        Files.createDirectories(dir.resolve("gw/logs-a"));
        Files.createDirectories(dir.resolve("gw/other"));
        Files.createDirectories(dir.resolve("gw/.multistore"));
        BucketConfig template = new BucketConfig("logs-*", "fs", "", false, List.of(),
                Map.of("root", dir.resolve("gw").toString() + "/{bucket}"));
        assertEquals(Set.of("logs-a", "other"), Set.copyOf(backend.bucketNames(template)));
        BucketConfig prefixed = new BucketConfig("logs-*", "fs", "", false, List.of(),
                Map.of("root", dir.resolve("gw").toString() + "/logs-{bucket}"));
        assertEquals(List.of("a"), backend.bucketNames(prefixed));
        assertEquals(List.of(), backend.bucketNames(new BucketConfig("x-*", "fs", "", false, List.of(),
                Map.of("root", dir.resolve("{bucket}").resolve("sub").toString()))));

        BucketConfig b = new BucketConfig("logs-b", "fs", "", false, List.of(),
                Map.of("root", dir.resolve("gw/logs-b").toString()), null, "logs-*");
        try (ObjectStore store = backend.open(b)) {
            assertFalse(Files.exists(dir.resolve("gw/logs-b")), "opening a pattern bucket must not create it");
            assertEquals(S3ErrorCode.NoSuchBucket, assertThrows(S3Exception.class, () -> store.list(
                    new io.multistore.api.backend.ListRequest("", null, null, null, 1))).code());
            assertEquals(S3ErrorCode.NoSuchBucket, assertThrows(S3Exception.class, () -> store.put("k",
                    new ObjectBody(new ByteArrayInputStream(new byte[] {1}), 1), ObjectAttributes.NONE,
                    Preconditions.NONE)).code());
            store.createBucket();
            store.put("k", new ObjectBody(new ByteArrayInputStream(new byte[] {1}), 1), ObjectAttributes.NONE,
                    Preconditions.NONE);
            assertEquals(1, store.head("k", Preconditions.NONE).size());
        }
    }
}
