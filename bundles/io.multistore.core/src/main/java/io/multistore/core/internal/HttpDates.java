package io.multistore.core.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** HTTP dates (RFC 9110: IMF-fixdate, RFC 850, asctime) and S3's ISO-8601 timestamps. */
final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    // two-digit years are read as 1970..2069
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.of(1970, 1, 1))
            .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEE MMM d HH:mm:ss yyyy").toFormatter(Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** {@code Last-Modified} form: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    static String format(Instant instant) {
        // every response carries Last-Modified, and most of them the same few: format each second once
        Formatted last = lastFormatted;
        long second = instant.getEpochSecond();
        if (last != null && last.second == second) {
            return last.text;
        }
        String text = IMF_FIXDATE.format(instant);
        lastFormatted = new Formatted(second, text);
        return text;
    }

    private record Formatted(long second, String text) {
    }

    /** The last date formatted; replaced whole, so a reader never sees a second paired with another text. */
    private static volatile Formatted lastFormatted;

    /** S3 XML timestamps: {@code 2009-10-12T17:50:30.000Z}. */
    static String iso(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** Parses any of the three HTTP date formats; {@code null} for absent or invalid values (ignored, as S3 does). */
    static Instant parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(v));
        } catch (DateTimeParseException e) {
            // next format
        }
        try {
            return Instant.from(RFC_850.parse(v));
        } catch (DateTimeParseException e) {
            // next format
        }
        try {
            return Instant.from(ASCTIME.parse(collapseSpaces(v)));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** asctime pads single-digit days with a space. */
    private static String collapseSpaces(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != ' ' || b.length() == 0 || b.charAt(b.length() - 1) != ' ') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
