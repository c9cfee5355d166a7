package io.multistore.backend.fs.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * Maps S3 keys to file names and back; see {@link FsObjectStore} for the layout. Pure functions, no I/O.
 */
final class KeyCodec {

    /** S3's limit on a key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;
    /** NAME_MAX of common filesystems (ext4, xfs, btrfs, tmpfs), in bytes. */
    static final int MAX_NAME_BYTES = 255;

    /** Suffix of a directory standing for the prefix {@code segment + "/"}; the encoding never ends a name with it. */
    static final char DIRECTORY_SUFFIX = '#';
    /** File name of the object whose last segment is empty (a key ending in {@code /}); never produced otherwise. */
    static final String EMPTY_OBJECT_NAME = "%";

    /** S3 key order: UTF-8 byte order, which is Unicode code point order (not UTF-16 {@code compareTo}). */
    static final Comparator<String> KEY_ORDER = KeyCodec::compare;

    private static final boolean[] SAFE = new boolean[128];
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            SAFE[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            SAFE[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            SAFE[c] = true;
        }
        // Printable ASCII that is harmless in file names everywhere; '%' (escape), '#' (directory suffix), '/' and
        // '\' (separators) and the characters Windows forbids are escaped.
        for (char c : " !$&'()+,-.;=@[]^_`{}~".toCharArray()) {
            SAFE[c] = true;
        }
    }

    private KeyCodec() {
    }

    /**
     * Checks that {@code key} is a storable S3 key.
     *
     * @throws S3Exception {@code InvalidArgument} for an empty key or unpaired surrogates, {@code KeyTooLongError}
     *                     beyond 1024 UTF-8 bytes
     */
    static void validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The object key must not be empty");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "The object key is not valid UTF-8", key, null);
            }
        }
        if (utf8Length(key) > MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KeyTooLongError);
        }
    }

    /** The name of the directory holding keys that start with {@code segment + "/"}. */
    static String directoryName(String segment) {
        return checkLength(escape(segment) + DIRECTORY_SUFFIX, segment);
    }

    /** The file name of an object whose key ends with {@code segment} (after its last {@code /}). */
    static String objectName(String segment) {
        return segment.isEmpty() ? EMPTY_OBJECT_NAME : checkLength(escape(segment), segment);
    }

    /**
     * A directory entry's key segment, or {@code null} for names this layout did not write (staging, dot files,
     * non-canonical escapes), which listings then ignore.
     */
    static String decode(String name, boolean directory) {
        if (name.isEmpty() || name.charAt(0) == '.') {
            return null;
        }
        if (directory) {
            if (name.charAt(name.length() - 1) != DIRECTORY_SUFFIX) {
                return null;
            }
            String segment = unescape(name.substring(0, name.length() - 1));
            return segment != null && directoryName(segment).equals(name) ? segment : null;
        }
        if (name.equals(EMPTY_OBJECT_NAME)) {
            return "";
        }
        String segment = unescape(name);
        return segment != null && !segment.isEmpty() && escape(segment).equals(name) ? segment : null;
    }

    /** Whether a directory entry name is a directory of this layout (by name alone, without a stat). */
    static boolean isDirectoryName(String name) {
        return !name.isEmpty() && name.charAt(name.length() - 1) == DIRECTORY_SUFFIX;
    }

    static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // Surrogates (D800-DFFF) encode code points above FFFF: lift them above E000-FFFF.
                return Integer.compare(fixup(x), fixup(y));
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    private static int fixup(char c) {
        if (c >= 0xD800 && c <= 0xDFFF) {
            return c + 0x2000;
        }
        return c >= 0xE000 ? c - 0x800 : c;
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String escape(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            // A leading dot is escaped so no name can be "." or "..", and dot names stay free for staging.
            if (b < 128 && SAFE[b] && !(i == 0 && b == '.')) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static String unescape(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%') {
                if (i + 2 >= name.length()) {
                    return null;
                }
                int hi = Character.digit(name.charAt(i + 1), 16);
                int lo = Character.digit(name.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 128) {
                out.write(c);
            } else {
                return null;
            }
        }
        byte[] bytes = out.toByteArray();
        String s = new String(bytes, StandardCharsets.UTF_8);
        // Reject byte sequences that are not UTF-8 (they would not survive the round trip).
        return java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), bytes) ? s : null;
    }

    private static String checkLength(String name, String segment) {
        if (name.length() > MAX_NAME_BYTES) {
            throw new S3Exception(S3ErrorCode.KeyTooLongError, "A key segment is too long for the filesystem ("
                    + name.length() + " bytes encoded, at most " + MAX_NAME_BYTES + "): " + abbreviate(segment), null,
                    null);
        }
        return name;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
