package io.multistore.backend.fs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.StoredChecksums;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to the filesystem: layout, containment, atomicity under crashes and concurrency. */
class FsObjectStoreTest {

    @TempDir
    Path dir;

    private Path root;
    private FsObjectStore store;

    @BeforeEach
    void open() {
        root = dir.resolve("bucket");
        store = new FsObjectStore(root);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void layoutIsReadableAndDocumented() throws IOException {
        put("photos/2024/cat.jpg", "cat");
        put("photos", "object beside its prefix");
        put("a//b", "empty segment");
        put("dir/", "trailing slash");
        put("50% off/x.txt", "percent");
        put(".hidden", "leading dot");
        put("caf\u00e9#1", "non-ascii and hash");

        assertTrue(Files.isRegularFile(root.resolve("photos#/2024#/cat.jpg")));
        assertTrue(Files.isRegularFile(root.resolve("photos")));
        assertTrue(Files.isRegularFile(root.resolve("a#/#/b")));
        assertTrue(Files.isRegularFile(root.resolve("dir#/%")));
        assertTrue(Files.isRegularFile(root.resolve("50%25 off#/x.txt")));
        assertTrue(Files.isRegularFile(root.resolve("%2Ehidden")));
        assertTrue(Files.isRegularFile(root.resolve("caf%C3%A9%231")));
        // An object file starts with the object's bytes.
        assertEquals("cat", new String(Files.readAllBytes(root.resolve("photos#/2024#/cat.jpg")), 0, 3));
        assertEquals(List.of(".hidden", "50% off/x.txt", "a//b", "caf\u00e9#1", "dir/", "photos",
                "photos/2024/cat.jpg"), keys(""));
    }

    @Test
    void keysCannotEscapeTheRoot() throws IOException {
        List<String> escapes = List.of("../x", "a/../../x", "/etc/passwd", "..", "../../../../../../tmp/evil",
                "x\u0000y", "..\\..\\x", "a/./b", "C:\\Windows\\x");
        assertThrows(S3Exception.class, () -> store.head("/etc/passwd", Preconditions.NONE));
        for (String key : escapes) {
            put(key, key);
            assertTrue(store.objectPath(key).startsWith(root), key);
            assertTrue(Files.isRegularFile(store.objectPath(key)), key);
            assertEquals(key, read(key));
        }
        try (Stream<Path> outside = Files.list(dir)) {
            assertEquals(List.of(root), outside.toList(), "nothing may appear beside the root");
        }
        assertEquals(escapes.stream().sorted(KeyCodec.KEY_ORDER).toList(), keys(""));
        for (String key : escapes) {
            store.delete(key);
        }
        assertEquals(List.of(), keys(""));
    }

    @Test
    void symbolicLinksOutOfTheRootAreNotFollowed() throws IOException {
        Path outside = dir.resolve("outside");
        try (FsObjectStore other = new FsObjectStore(outside)) {
            other.put("secret", body("top secret"), ObjectAttributes.NONE, Preconditions.NONE);
        }
        Files.createSymbolicLink(root.resolve("link#"), outside);
        Files.createSymbolicLink(root.resolve("evil"), outside.resolve("secret"));

        assertError(S3ErrorCode.AccessDenied, () -> store.head("link/secret", Preconditions.NONE));
        assertError(S3ErrorCode.AccessDenied, () -> store.get("link/secret", null, Preconditions.NONE));
        assertError(S3ErrorCode.AccessDenied, () -> store.put("link/new", body("x"), ObjectAttributes.NONE,
                Preconditions.NONE));
        assertError(S3ErrorCode.AccessDenied, () -> store.put("link/deeper/new", body("x"), ObjectAttributes.NONE,
                Preconditions.NONE));
        assertError(S3ErrorCode.AccessDenied, () -> store.delete("link/secret"));
        assertError(S3ErrorCode.AccessDenied, () -> store.head("evil", Preconditions.NONE));
        assertError(S3ErrorCode.AccessDenied, () -> store.copy("evil", Preconditions.NONE, "stolen", null));

        assertTrue(Files.exists(outside.resolve("secret")));
        assertFalse(Files.exists(outside.resolve("new")));
        assertFalse(Files.exists(outside.resolve("deeper#")));
        assertEquals(List.of(), keys(""));
        assertEquals(List.of(), store.list(new ListRequest("", "/", null, null, 1000)).commonPrefixes());
    }

    @Test
    void crashMidUploadLeavesNoObjectAndTheSweepRemovesTheStagingFile() throws Exception {
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch crash = new CountDownLatch(1);
        byte[] data = random(4 << 20, 1);
        InputStream stalling = new InputStream() {
            private int position;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= data.length / 2) {
                    halfway.countDown();
                    try {
                        crash.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("process killed (simulated)");
                }
                int n = Math.min(len, data.length / 2 - position);
                System.arraycopy(data, position, b, off, n);
                position += n;
                return n;
            }
        };
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> upload = executor.submit(() -> store.put("big", new ObjectBody(stalling, data.length),
                    ObjectAttributes.NONE, Preconditions.NONE));
            assertTrue(halfway.await(60, TimeUnit.SECONDS), "upload did not start");

            // Mid-upload: the bytes sit in staging only.
            assertEquals(1, stagedFiles().size());
            assertError(S3ErrorCode.NoSuchKey, () -> store.head("big", Preconditions.NONE));
            assertEquals(List.of(), keys(""));

            // What a crashed process leaves behind, swept by the next start.
            assertEquals(1, new FsObjectStore(root).sweep(Duration.ZERO));
            assertEquals(List.of(), stagedFiles());

            crash.countDown();
            Exception failure = assertThrows(Exception.class, upload::get);
            assertTrue(failure.getCause() instanceof S3Exception, failure.toString());
        } finally {
            crash.countDown();
            executor.shutdownNow();
        }
        assertError(S3ErrorCode.NoSuchKey, () -> store.head("big", Preconditions.NONE));
        assertEquals(List.of(), stagedFiles());
        assertEquals(List.of(), keys(""));
    }

    @Test
    void failedBodyRemovesItsStagingFile() {
        assertThrows(S3Exception.class, () -> store.put("short", new ObjectBody(new ByteArrayInputStream(new byte[10]),
                20), ObjectAttributes.NONE, Preconditions.NONE));
        assertThrows(S3Exception.class, () -> store.put("long", new ObjectBody(new ByteArrayInputStream(new byte[30]),
                20), ObjectAttributes.NONE, Preconditions.NONE));
        assertEquals(List.of(), stagedFiles());
        assertEquals(List.of(), keys(""));
    }

    @Test
    void concurrentWritersToOneKeyLeaveExactlyOneCompleteBody() throws Exception {
        int writers = 4;
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            bodies.add(random(3 << 20, 100 + i));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (byte[] body : bodies) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return store.put("contended", new ObjectBody(new ByteArrayInputStream(body), body.length),
                            ObjectAttributes.NONE, Preconditions.NONE);
                }));
            }
            // A reader running alongside only ever sees a complete body.
            futures.add(executor.submit(() -> {
                start.await();
                for (int i = 0; i < 20; i++) {
                    try {
                        assertOneOf(bodies, readBytes("contended"));
                    } catch (S3Exception e) {
                        assertEquals(S3ErrorCode.NoSuchKey, e.code());
                    }
                }
                return null;
            }));
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        byte[] result = readBytes("contended");
        assertOneOf(bodies, result);
        assertEquals("\"" + java.util.HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(result)) + "\"",
                store.head("contended", Preconditions.NONE).etag(), "metadata belongs to the data");
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void concurrentCreateIfAbsentHasOneWinner() throws Exception {
        int writers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        int won = 0;
        int lost = 0;
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] body = random(200_000, i);
                futures.add(executor.submit(() -> {
                    start.await();
                    try {
                        store.put("once", new ObjectBody(new ByteArrayInputStream(body), body.length),
                                ObjectAttributes.NONE, new Preconditions(null, List.of("*"), null, null));
                        return true;
                    } catch (S3Exception e) {
                        assertEquals(S3ErrorCode.PreconditionFailed, e.code());
                        return false;
                    }
                }));
            }
            start.countDown();
            for (Future<Boolean> f : futures) {
                if (f.get(60, TimeUnit.SECONDS)) {
                    won++;
                } else {
                    lost++;
                }
            }
        } finally {
            executor.shutdownNow();
        }
        assertEquals(1, won);
        assertEquals(writers - 1, lost);
    }

    @Test
    void checksumsAndPartSizesAreKeptWithTheObject() {
        ObjectChecksum sum = new ObjectChecksum("CRC32C", "TVUQaA==", ObjectChecksum.FULL_OBJECT);
        byte[] data = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        store.put("single", new ObjectBody(new ByteArrayInputStream(data), data.length, () -> sum),
                ObjectAttributes.NONE, Preconditions.NONE);
        assertEquals(StoredChecksums.of(sum), store.head("single", Preconditions.NONE).checksums());

        ObjectChecksum upload = new ObjectChecksum("CRC32", null, ObjectChecksum.COMPOSITE);
        String id = store.createMultipartUpload("multi", ObjectAttributes.NONE, upload);
        byte[] big = new byte[(int) FsObjectStore.MIN_PART_SIZE];
        ObjectChecksum p1 = new ObjectChecksum("CRC32", "AAAAAQ==", null);
        ObjectChecksum p2 = new ObjectChecksum("CRC32", "AAAAAg==", null);
        PartInfo first = store.uploadPart("multi", id, 1, new ObjectBody(new ByteArrayInputStream(big), big.length,
                () -> p1));
        PartInfo second = store.uploadPart("multi", id, 2, new ObjectBody(new ByteArrayInputStream(data),
                data.length, () -> p2));
        assertEquals("AAAAAQ==", first.checksum().value());
        var listing = store.listParts("multi", id, 0, 10);
        assertEquals(upload, listing.checksum());
        assertEquals(List.of("AAAAAQ==", "AAAAAg=="), listing.parts().stream().map(p -> p.checksum().value())
                .toList());
        // another algorithm than the upload's is refused before the body is read
        S3Exception mismatch = assertThrows(S3Exception.class, () -> store.uploadPart("multi", id, 3,
                new ObjectBody(new ByteArrayInputStream(data), data.length, () -> sum)));
        assertEquals(S3ErrorCode.InvalidRequest, mismatch.code());

        ObjectChecksum whole = upload.withValue("AAAAAw==-2");
        store.completeMultipartUpload("multi", id, List.of(new CompletedPart(1, first.etag()),
                new CompletedPart(2, second.etag())), Preconditions.NONE, whole);
        // read by a new store, as after a restart
        StoredChecksums stored = new FsObjectStore(root).head("multi", Preconditions.NONE).checksums();
        assertEquals(whole, stored.checksum());
        assertEquals(2, stored.partsCount());
        assertEquals(List.of((long) big.length, (long) data.length), stored.parts().stream().map(PartInfo::size)
                .toList());
        assertEquals(p2.value(), stored.parts().get(1).checksum().value());
        var meta = store.head("multi", Preconditions.NONE);
        assertEquals(new io.multistore.api.backend.ContentRange(big.length, big.length + data.length - 1,
                big.length + data.length), StoredChecksums.partRange(meta, 2));
        S3Exception beyond = assertThrows(S3Exception.class, () -> StoredChecksums.partRange(meta, 3));
        assertEquals(S3ErrorCode.InvalidPartNumber, beyond.code());
        try (ObjectContent part = store.getPart("multi", 2, Preconditions.NONE)) {
            assertArrayEquals(data, part.stream().readAllBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        // a copy of a single-part object keeps its full-object checksum
        assertEquals(sum, store.copy("single", Preconditions.NONE, "copy", null).checksums().checksum());
    }

    @Test
    void uploadsSurviveARestart() throws IOException {
        String id = store.createMultipartUpload("restart", new ObjectAttributes("text/plain", null, null, null, null,
                null, null));
        PartInfo part = store.uploadPart("restart", id, 1, body("part one"));

        FsObjectStore reopened = new FsObjectStore(root);
        assertEquals(List.of(id), reopened.listMultipartUploads("", null, null, 100).uploads().stream()
                .map(u -> u.uploadId()).toList());
        assertEquals(List.of(1), reopened.listParts("restart", id, 0, 100).parts().stream()
                .map(PartInfo::partNumber).toList());
        reopened.completeMultipartUpload("restart", id, List.of(new CompletedPart(1, part.etag())));
        assertEquals("part one", read("restart"));
        assertEquals("text/plain", store.head("restart", Preconditions.NONE).attributes().contentType());
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void sweepRemovesOnlyStaleUploads() throws IOException {
        String fresh = store.createMultipartUpload("fresh", ObjectAttributes.NONE);
        String stale = store.createMultipartUpload("stale", ObjectAttributes.NONE);
        store.uploadPart("stale", stale, 1, body("abandoned"));
        Path staleDir = root.resolve(".multistore/uploads").resolve(stale);
        Files.setLastModifiedTime(staleDir, FileTime.from(Instant.now().minus(Duration.ofHours(25))));

        assertEquals(1, store.sweep(Duration.ofHours(24)));
        assertEquals(List.of(fresh), store.listMultipartUploads("", null, null, 100).uploads().stream()
                .map(u -> u.uploadId()).toList());
        assertError(S3ErrorCode.NoSuchUpload, () -> store.listParts("stale", stale, 0, 100));
    }

    @Test
    void deleteRemovesEmptyDirectories() throws IOException {
        put("a/b/c", "x");
        put("a/d", "y");
        store.delete("a/b/c");
        assertFalse(Files.exists(root.resolve("a#/b#")));
        assertTrue(Files.exists(root.resolve("a#/d")));
        store.delete("a/d");
        try (Stream<Path> entries = Files.list(root)) {
            assertEquals(List.of(root.resolve(".multistore")), entries.toList());
        }
    }

    @Test
    void keysTheLayoutCannotHoldAreRejected() {
        assertError(S3ErrorCode.KeyTooLongError, () -> put("x".repeat(300), "segment too long"));
        assertError(S3ErrorCode.NoSuchKey, () -> store.head("x".repeat(300), Preconditions.NONE));
        store.delete("x".repeat(300));
        assertError(S3ErrorCode.KeyTooLongError, () -> put("a/".repeat(600), "key too long"));
        assertError(S3ErrorCode.InvalidArgument, () -> put("", "empty"));
        assertError(S3ErrorCode.InvalidArgument, () -> put("lone\ud800surrogate", "not UTF-8"));
        assertError(S3ErrorCode.KeyTooLongError, () -> store.createMultipartUpload("y".repeat(256),
                ObjectAttributes.NONE));
        put("y".repeat(255), "longest segment");
        assertError(S3ErrorCode.KeyTooLongError, () -> put("\u00e9".repeat(85), "85 x 6 encoded bytes: too long"));
    }

    @Test
    void foreignFilesAreNotListed() throws IOException {
        put("real", "x");
        Files.writeString(root.resolve("notes.txt"), "an operator's file, not an object");
        Files.writeString(root.resolve("a%4"), "not a canonical name");
        Files.writeString(root.resolve("a%41"), "non-canonical escape of A");
        assertEquals(List.of("real"), keys(""));
    }

    @Test
    void badContinuationTokenIsInvalidArgument() {
        assertError(S3ErrorCode.InvalidArgument, () -> store.list(new ListRequest("", null, null, "!!!", 10)));
    }

    @Test
    void missingRootIsNoSuchBucket() throws IOException {
        put("k", "v");
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
        assertError(S3ErrorCode.NoSuchBucket, () -> put("k", "v2"));
        assertError(S3ErrorCode.NoSuchBucket, () -> store.list(new ListRequest("", null, null, null, 10)));
        assertError(S3ErrorCode.NoSuchBucket, () -> store.head("k", Preconditions.NONE));
    }

    @Test
    void deleteBucketRemovesAnEmptyDirectoryAndCreateBucketBringsItBack() {
        put("k", "v");
        assertError(S3ErrorCode.BucketNotEmpty, store::deleteBucket);
        store.delete("k");
        store.deleteBucket();
        assertFalse(Files.exists(root));
        assertError(S3ErrorCode.NoSuchBucket, () -> store.head("k", Preconditions.NONE));
        assertError(S3ErrorCode.NoSuchBucket, store::deleteBucket);
        store.createBucket();
        store.createBucket(); // exists: still fine
        put("k", "again");
        assertEquals(List.of("k"), store.list(new ListRequest("", null, null, null, 10)).objects().stream()
                .map(o -> o.key()).toList());
    }

    @Test
    void rangeReadsAreServedFromTheFile() throws IOException {
        byte[] data = random(100_000, 7);
        store.put("r", new ObjectBody(new ByteArrayInputStream(data), data.length), ObjectAttributes.NONE,
                Preconditions.NONE);
        try (ObjectContent content = store.get("r", io.multistore.api.backend.ByteRange.parse("bytes=50000-50009"),
                Preconditions.NONE)) {
            assertEquals(10, content.stream().available());
            assertArrayEquals(Arrays.copyOfRange(data, 50000, 50010), content.stream().readAllBytes());
            assertEquals(-1, content.stream().read());
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<Path> stagedFiles() {
        try (Stream<Path> files = Files.list(root.resolve(".multistore/tmp"))) {
            return files.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tagsLiveInTheObjectFileAndGoWithIt() throws IOException {
        java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put("project", "blue");
        tags.put("tier", "");
        var meta = store.put("t/obj", body("tagged bytes"), ObjectAttributes.NONE.withTags(tags), Preconditions.NONE);
        assertEquals(2, meta.tagCount());
        assertEquals(tags, store.getTags("t/obj", null));
        assertEquals(List.of("project", "tier"), List.copyOf(store.getTags("t/obj", null).keySet()));
        assertEquals(2, store.head("t/obj", Preconditions.NONE).tagCount());

        // retagging keeps the bytes, the entity tag and the date
        var before = store.head("t/obj", Preconditions.NONE);
        store.putTags("t/obj", null, java.util.Map.of("only", "one"));
        var after = store.head("t/obj", Preconditions.NONE);
        assertEquals(java.util.Map.of("only", "one"), store.getTags("t/obj", null));
        assertEquals(before.etag(), after.etag());
        assertEquals(before.lastModified(), after.lastModified());
        assertEquals("tagged bytes", read("t/obj"));

        // a copy keeps the source's tags unless given others; a metadata-replacing copy too
        store.copy("t/obj", Preconditions.NONE, "t/copy", null);
        assertEquals(java.util.Map.of("only", "one"), store.getTags("t/copy", null));
        store.copy("t/obj", Preconditions.NONE, "t/replaced", new ObjectAttributes("text/plain", null, null, null,
                null, null, java.util.Map.of()));
        assertEquals(java.util.Map.of("only", "one"), store.getTags("t/replaced", null));
        store.copy("t/obj", Preconditions.NONE, "t/retagged", ObjectAttributes.NONE.withTags(java.util.Map.of()));
        assertEquals(java.util.Map.of(), store.getTags("t/retagged", null));

        // an overwrite without tags has none; a delete takes them along
        put("t/obj", "new bytes");
        assertEquals(java.util.Map.of(), store.getTags("t/obj", null));
        store.delete("t/obj");
        assertEquals(S3ErrorCode.NoSuchKey, assertThrows(S3Exception.class, () -> store.getTags("t/obj", null))
                .code());
        assertEquals(S3ErrorCode.NoSuchKey, assertThrows(S3Exception.class,
                () -> store.putTags("t/obj", null, java.util.Map.of("a", "b"))).code());
        assertFalse(Files.exists(root.resolve("t#/obj")));
    }

    @Test
    void multipartUploadsKeepTheirTags() {
        String id = store.createMultipartUpload("mp", ObjectAttributes.NONE.withTags(java.util.Map.of("a", "1")));
        PartInfo part = store.uploadPart("mp", id, 1, body("part"));
        store.completeMultipartUpload("mp", id, List.of(new CompletedPart(1, part.etag())));
        assertEquals(java.util.Map.of("a", "1"), store.getTags("mp", null));
    }

    private void put(String key, String text) {
        store.put(key, body(text), ObjectAttributes.NONE, Preconditions.NONE);
    }

    private String read(String key) throws IOException {
        return new String(readBytes(key), java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] readBytes(String key) throws IOException {
        try (ObjectContent content = store.get(key, null, Preconditions.NONE)) {
            return content.stream().readAllBytes();
        }
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            var page = store.list(new ListRequest(prefix, null, null, token, 1000));
            page.objects().stream().map(ObjectSummary::key).forEach(keys::add);
            token = page.truncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    private static ObjectBody body(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new ObjectBody(new ByteArrayInputStream(bytes), bytes.length);
    }

    private static byte[] random(int size, int seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void assertOneOf(List<byte[]> candidates, byte[] actual) {
        assertTrue(candidates.stream().anyMatch(c -> Arrays.equals(c, actual)),
                "the object is none of the bodies written (" + actual.length + " bytes)");
    }

    private static void assertError(S3ErrorCode code, org.junit.jupiter.api.function.Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(code, e.code(), e::getMessage);
    }
}
