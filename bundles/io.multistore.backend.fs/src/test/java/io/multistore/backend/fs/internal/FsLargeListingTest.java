package io.multistore.backend.fs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectSummary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;

/** 100,000 keys listed in pages of 1000: the exact S3 sequence, no duplicates, no gaps. */
class FsLargeListingTest {

    /** On tmpfs where there is one: the test is about the walk, not about how fast a disk creates 100,000 files. */
    @TempDir(factory = MemoryTempDir.class)
    Path dir;

    static final class MemoryTempDir implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "multistore-fs-listing")
                    : Files.createTempDirectory("multistore-fs-listing");
        }
    }

    @Test
    void hundredThousandKeysInPagesOfAThousand() throws IOException {
        Path root = dir.resolve("bucket");
        FsObjectStore store = new FsObjectStore(root);
        List<String> keys = new ArrayList<>();
        // 99 directories of 1000 keys plus keys that sort between, before and inside them ("a-b" < "a/b" < "ab").
        for (int d = 0; d < 99; d++) {
            for (int i = 0; i < 1000; i++) {
                keys.add(String.format("batch-%02d/obj-%04d", d, i));
            }
        }
        for (int i = 0; i < 1000; i++) {
            keys.add(String.format("batch-%02d%s", i % 99, i < 99 ? "" : i < 198 ? "-x" : i < 297 ? "0" : "/obj-" + i
                    + (i % 2 == 0 ? "/deeper" : "-\u00e9")));
        }
        Set<Path> directories = new HashSet<>();
        for (String key : keys) {
            write(store, key, directories);
        }
        List<String> expected = new ArrayList<>(keys);
        expected.sort(Comparator.comparing((String k) -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        assertEquals(100_000, expected.size());
        assertEquals(100_000, expected.stream().distinct().count());

        List<String> listed = new ArrayList<>(expected.size());
        String token = null;
        int pages = 0;
        do {
            ListPage page = store.list(new ListRequest("", null, null, token, 1000));
            pages++;
            if (page.truncated()) {
                assertEquals(1000, page.objects().size());
            }
            page.objects().stream().map(ObjectSummary::key).forEach(listed::add);
            token = page.truncated() ? page.nextContinuationToken() : null;
            assertTrue(pages <= 101, "paging does not end");
        } while (token != null);
        assertEquals(100, pages);
        assertEquals(expected, listed);

        ListPage rolledUp = store.list(new ListRequest("", "/", null, null, 1000));
        assertEquals(99, rolledUp.commonPrefixes().size());
        assertEquals(297, rolledUp.objects().size());
        assertFalse(rolledUp.truncated());
    }

    /** Writes the object file directly (no staging, no fsync), laid out as a put would. */
    private static void write(FsObjectStore store, String key, Set<Path> directories) throws IOException {
        Path file = store.objectPath(key);
        if (directories.add(file.getParent())) {
            Files.createDirectories(file.getParent());
        }
        ByteBuffer trailer = ObjectFile.trailer(new ObjectFile.Meta(key, 1, "\"9dd4e461268c8034f5c8564e155c67a6\"",
                Instant.EPOCH, 0, ObjectAttributes.NONE));
        byte[] bytes = new byte[1 + trailer.remaining()];
        bytes[0] = 'x';
        trailer.get(bytes, 1, trailer.remaining());
        Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
}
