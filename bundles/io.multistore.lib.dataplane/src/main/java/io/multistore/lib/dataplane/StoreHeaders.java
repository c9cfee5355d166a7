package io.multistore.lib.dataplane;

import io.multistore.api.backend.ContentRange;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Header mapping between a store's answers and the gateway's object model. */
public final class StoreHeaders {

    private StoreHeaders() {
    }

    /**
     * User metadata from headers with a store's prefix ({@code x-amz-meta-}, {@code x-ms-meta-},
     * {@code x-goog-meta-}): names lower case, without the prefix; values as sent.
     */
    public static Map<String, String> userMetadata(BackendResponse response, String prefix) {
        Map<String, String> metadata = new HashMap<>();
        int n = prefix.length();
        for (Map.Entry<String, List<String>> e : response.headers().entrySet()) {
            String name = e.getKey();
            if (name.length() > n && name.regionMatches(true, 0, prefix, 0, n) && !e.getValue().isEmpty()) {
                metadata.put(name.substring(n).toLowerCase(Locale.ROOT), e.getValue().get(0));
            }
        }
        return metadata;
    }

    /** An HTTP date (RFC 9110's IMF-fixdate, as stores send it), or {@code null} when absent or unreadable. */
    public static Instant parseDate(String value) {
        if (value == null) {
            return null;
        }
        // a backend answers the same Last-Modified again and again (the same object, or a second's worth of writes):
        // java.time's parser costs microseconds, a comparison nanoseconds
        ParsedDate last = lastParsed;
        if (last != null && last.text.equals(value)) {
            return last.instant;
        }
        try {
            Instant instant = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            lastParsed = new ParsedDate(value, instant);
            return instant;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private record ParsedDate(String text, Instant instant) {
    }

    /** The last date parsed; replaced whole, so a reader never sees a text paired with another date. */
    private static volatile ParsedDate lastParsed;

    /** The HTTP date form of an instant (second precision, GMT). */
    public static String formatDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** A {@code Content-Range} answer ({@code bytes first-last/total}), or {@code null} when absent or unreadable. */
    public static ContentRange parseContentRange(String header) {
        if (header == null || !header.startsWith("bytes ")) {
            return null;
        }
        try {
            String spec = header.substring(6).trim();
            int dash = spec.indexOf('-');
            int slash = spec.indexOf('/');
            if (dash < 0 || slash < dash) {
                return null;
            }
            return new ContentRange(Long.parseLong(spec.substring(0, dash).trim()),
                    Long.parseLong(spec.substring(dash + 1, slash).trim()),
                    Long.parseLong(spec.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A {@code Content-Length}-style number, or -1. */
    public static long parseLong(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
