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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsBackendTest {

    @TempDir
    Path dir;

    @Test
    void rootOptionIsRequired() {
        FsBackend backend = new FsBackend(Duration.ofHours(24));
        S3Exception e = assertThrows(S3Exception.class, () -> backend.open(bucket(Map.of())));
        assertEquals(S3ErrorCode.InvalidArgument, e.code());
        assertTrue(e.getMessage().contains("root"), e.getMessage());
        assertEquals(S3ErrorCode.InvalidArgument,
                assertThrows(S3Exception.class, () -> backend.open(bucket(Map.of("root", "bad\u0000path")))).code());
    }

    @Test
    void opensAndCreatesTheDirectory() {
        Path root = dir.resolve("new/bucket");
        try (ObjectStore store = new FsBackend(Duration.ofHours(24)).open(bucket(Map.of("root", root.toString())))) {
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
            new FsBackend(Duration.ofHours(24)).open(bucket(Map.of("root", relative))).close();
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

        FsBackend backend = new FsBackend(Duration.ofHours(2));
        try (ObjectStore store = backend.open(bucket(Map.of("root", root.toString())))) {
            assertEquals(List.of(), store.listMultipartUploads("", null, null, 100).uploads());
        }
        assertFalse(Files.exists(upload));
    }

    @Test
    void negativeAgeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FsBackend(Duration.ofHours(-1)));
    }

    private static BucketConfig bucket(Map<String, String> options) {
        return new BucketConfig("files", "fs", "", false, List.of(), options);
    }
}
