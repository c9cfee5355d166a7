package io.multistore.backend.fs.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectSummary;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * One page of a listing, produced by a lazy depth-first walk of the layout in key order.
 * <p>
 * Only one directory's entries are held per level of the walk. They are sorted by the key range they stand for: an
 * object by {@code prefix + segment}, a directory by {@code prefix + segment + "/"} (every key under it starts with
 * that), which is exactly S3 key order of the whole tree even where sorting bare names would not be ({@code a-b}
 * before {@code a/b} before {@code ab}). Entries that cannot hold keys inside the prefix or after the marker are
 * dropped before sorting; a directory whose every key rolls up into one common prefix is reported after finding a
 * single object in it, without walking the rest.
 * <p>
 * Continuation tokens are the last returned entry (key or common prefix), base64url-encoded: listing resumes strictly
 * after it, and after everything under it when it is a common prefix.
 */
final class Lister {

    /** Reads an object's summary; {@code null} when the file vanished or is not an object file. */
    interface SummaryReader {
        ObjectSummary read(Path file, String key) throws IOException;
    }

    private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::sortKey, KeyCodec.KEY_ORDER);

    private record Entry(String sortKey, Path path, boolean directory) {
    }

    private static final class Frame {
        final List<Entry> entries;
        int next;

        Frame(List<Entry> entries) {
            this.entries = entries;
        }
    }

    private final String prefix;
    private final String delimiter;
    private final String marker;
    private final SummaryReader reader;
    private final Deque<Frame> stack = new ArrayDeque<>();
    /** Everything starting with this was already returned as a common prefix. */
    private String skip;

    private Lister(Path root, ListRequest request, SummaryReader reader) throws IOException {
        this.prefix = request.prefix();
        this.delimiter = request.delimiter();
        this.reader = reader;
        this.marker = request.continuationToken() != null ? decodeToken(request.continuationToken())
                : request.startAfter();
        if (marker != null && delimiter != null && marker.equals(rollUp(marker))) {
            skip = marker; // the marker names a common prefix: it and everything under it are done
        }
        push(root, "");
    }

    static ListPage list(Path root, ListRequest request, SummaryReader reader) throws IOException {
        if (request.maxKeys() <= 0) {
            return new ListPage(List.of(), List.of(), false, null);
        }
        Lister lister = new Lister(root, request, reader);
        List<ObjectSummary> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        int count = 0;
        while (true) {
            Object item = lister.nextItem();
            if (item == null) {
                return new ListPage(objects, prefixes, false, null);
            }
            if (count == request.maxKeys()) {
                return new ListPage(objects, prefixes, true, encodeToken(last));
            }
            if (item instanceof ObjectSummary summary) {
                objects.add(summary);
                last = summary.key();
            } else {
                prefixes.add((String) item);
                last = (String) item;
            }
            count++;
        }
    }

    /** The next object summary or common prefix (a String), or {@code null} at the end. */
    private Object nextItem() throws IOException {
        while (true) {
            Entry entry = nextEntry();
            if (entry == null) {
                return null;
            }
            if (entry.directory()) { // a whole directory rolled up
                String common = rollUp(entry.sortKey());
                skip = common;
                return common;
            }
            String common = rollUp(entry.sortKey());
            if (common != null) {
                skip = common;
                return common;
            }
            ObjectSummary summary = reader.read(entry.path(), entry.sortKey());
            if (summary != null) {
                return summary;
            }
        }
    }

    /**
     * The next object entry in key order, or a directory entry whose keys all roll up into one common prefix and
     * which holds at least one object.
     */
    private Entry nextEntry() throws IOException {
        while (!stack.isEmpty()) {
            Frame frame = stack.peek();
            if (frame.next == frame.entries.size()) {
                stack.pop();
                continue;
            }
            Entry entry = frame.entries.get(frame.next++);
            if (skip != null && entry.sortKey().startsWith(skip)) {
                continue;
            }
            if (!entry.directory()) {
                return entry;
            }
            if (Files.isSymbolicLink(entry.path())) {
                continue; // never follow links out of (or around) the layout
            }
            String range = entry.sortKey();
            if (delimiter != null && range.startsWith(prefix) && (marker == null || !marker.startsWith(range))
                    && rollUp(range) != null) {
                if (containsObject(entry.path())) {
                    return entry;
                }
                continue;
            }
            push(entry.path(), range);
        }
        return null;
    }

    private void push(Path directory, String keyPrefix) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                boolean isDirectory = KeyCodec.isDirectoryName(name);
                String segment = KeyCodec.decode(name, isDirectory);
                if (segment == null) {
                    continue;
                }
                Entry entry = new Entry(isDirectory ? keyPrefix + segment + "/" : keyPrefix + segment, path,
                        isDirectory);
                if (wanted(entry)) {
                    entries.add(entry);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return; // removed while we walked: nothing left in it
        }
        entries.sort(ORDER);
        stack.push(new Frame(entries));
    }

    /** Whether an entry can hold keys inside the prefix, after the marker and outside the skipped prefix. */
    private boolean wanted(Entry entry) {
        String key = entry.sortKey();
        if (skip != null && key.startsWith(skip)) {
            return false;
        }
        if (!entry.directory()) {
            return key.startsWith(prefix) && (marker == null || KeyCodec.compare(key, marker) > 0);
        }
        if (!key.startsWith(prefix) && !prefix.startsWith(key)) {
            return false;
        }
        // All keys under the directory are below the marker when the range sorts before it and does not contain it.
        return marker == null || KeyCodec.compare(key, marker) >= 0 || marker.startsWith(key);
    }

    /** Whether any object file lies under {@code directory}; stops at the first one. */
    private static boolean containsObject(Path directory) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                boolean isDirectory = KeyCodec.isDirectoryName(name);
                if (KeyCodec.decode(name, isDirectory) == null) {
                    continue;
                }
                if (!isDirectory) {
                    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        return true;
                    }
                } else if (!Files.isSymbolicLink(path) && containsObject(path)) {
                    return true;
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        }
        return false;
    }

    /** The common prefix {@code key} rolls up into, or {@code null}. {@code key} starts with the prefix. */
    private String rollUp(String key) {
        if (delimiter == null || !key.startsWith(prefix)) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    static String encodeToken(String last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The continuation token provided is incorrect");
        }
    }
}
