package io.multistore.api.backend;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;

/**
 * A requested byte range ({@code Range: bytes=first-last}, {@code bytes=first-}, {@code bytes=-suffix}).
 *
 * @param first  first byte, or -1 for a suffix range
 * @param last   last byte inclusive, or -1 for "to the end"
 * @param suffix for {@code bytes=-n}: the number of final bytes, else -1
 */
public record ByteRange(long first, long last, long suffix) {

    /**
     * Parses a {@code Range} header. S3 serves a single range; anything it would ignore (multiple ranges, other
     * units, syntax errors) yields {@code null}, meaning "the whole object", as S3 does.
     */
    public static ByteRange parse(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (!value.startsWith("bytes=") || value.indexOf(',') >= 0) {
            return null;
        }
        String spec = value.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                return b.isEmpty() ? null : new ByteRange(-1, -1, Long.parseLong(b));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? -1 : Long.parseLong(b);
            if (first < 0 || (last >= 0 && last < first)) {
                return null;
            }
            return new ByteRange(first, last, -1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The concrete range for an object of {@code size} bytes.
     *
     * @throws S3Exception {@code InvalidRange} when the range starts past the end (or asks for a zero suffix)
     */
    public ContentRange resolve(long size) {
        if (suffix >= 0) {
            if (suffix == 0 || size == 0) {
                throw new S3Exception(S3ErrorCode.InvalidRange);
            }
            long n = Math.min(suffix, size);
            return new ContentRange(size - n, size - 1, size);
        }
        if (first >= size) {
            throw new S3Exception(S3ErrorCode.InvalidRange);
        }
        long end = last < 0 || last >= size ? size - 1 : last;
        return new ContentRange(first, end, size);
    }

    /** The header form, for passing the range on to a backend. */
    public String header() {
        if (suffix >= 0) {
            return "bytes=-" + suffix;
        }
        return "bytes=" + first + "-" + (last < 0 ? "" : Long.toString(last));
    }
}
