package io.multistore.accesslog.internal;

import io.multistore.api.observe.CompletedRequest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The two line layouts of the access log. */
enum AccessLogFormat {

    /**
     * One JSON object per line: {@code ts, request_id, remote, principal, method, operation, bucket, key, status,
     * error, bytes_in, bytes_out, ttfb_ms, total_ms, backend_ms, user_agent}; absent values are {@code null}.
     */
    JSON {
        @Override
        void append(StringBuilder b, CompletedRequest r) {
            b.append("{\"ts\":\"");
            appendIsoMillis(b, r.started());
            b.append('"');
            field(b, "request_id", r.requestId());
            field(b, "remote", r.remoteAddress());
            field(b, "principal", r.principal());
            field(b, "method", r.method());
            field(b, "operation", r.operation());
            field(b, "bucket", r.bucket());
            field(b, "key", r.key());
            b.append(",\"status\":").append(r.status());
            field(b, "error", r.errorCode());
            b.append(",\"bytes_in\":").append(r.bytesIn());
            b.append(",\"bytes_out\":").append(r.bytesOut());
            b.append(",\"ttfb_ms\":").append(millis(r.firstByteNanos()));
            b.append(",\"total_ms\":").append(millis(r.totalNanos()));
            b.append(",\"backend_ms\":").append(millis(r.backendNanos()));
            field(b, "user_agent", r.userAgent());
            b.append('}');
        }
    },

    /**
     * The field order of S3's server access log records: bucket owner, bucket, time, remote IP, requester, request
     * id, operation, key, request URI, status, error code, bytes sent, object size, total time, turn-around time,
     * referer, user agent. Fields the gateway does not know are {@code -}; the request URI is never written (it may
     * carry a presigned signature).
     */
    S3 {
        private final SecondCache time = new SecondCache(DateTimeFormatter.ofPattern(
                "'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ROOT).withZone(ZoneOffset.UTC));

        @Override
        void append(StringBuilder b, CompletedRequest r) {
            b.append("- ").append(token(r.bucket())).append(' ').append(time.text(r.started()));
            b.append(' ').append(token(r.remoteAddress())).append(' ').append(token(r.principal()));
            b.append(' ').append(token(r.requestId()));
            b.append(" REST.").append(token(r.method())).append('.').append(token(r.operation()));
            b.append(' ').append(token(r.key())).append(" \"-\" ").append(r.status());
            b.append(' ').append(token(r.errorCode())).append(' ').append(r.bytesOut() == 0 ? "-" : r.bytesOut());
            b.append(" - ").append(millis(r.totalNanos())).append(' ').append(millis(r.firstByteNanos()));
            b.append(" \"-\" ").append(quoted(r.userAgent()));
        }
    };

    /** Appends the request's line, without a line break. */
    abstract void append(StringBuilder b, CompletedRequest request);

    String line(CompletedRequest request) {
        StringBuilder b = new StringBuilder(256);
        append(b, request);
        return b.toString();
    }

    /**
     * A timestamp's text formatted once per second, not once per line: formatting an instant costs more than the
     * rest of a line, and a busy gateway logs thousands of lines within one second.
     */
    static final class SecondCache {
        private record Entry(long second, String text) {
        }

        private final DateTimeFormatter formatter;
        private volatile Entry last = new Entry(Long.MIN_VALUE, "");

        SecondCache(DateTimeFormatter formatter) {
            this.formatter = formatter;
        }

        String text(Instant t) {
            long second = t.getEpochSecond();
            Entry e = last;
            if (e.second != second) {
                e = new Entry(second, formatter.format(Instant.ofEpochSecond(second)));
                last = e;
            }
            return e.text;
        }
    }

    /** {@code 2026-11-30T12:00:01.} of the second; the milliseconds are appended per line. */
    private static final SecondCache ISO_SECOND = new SecondCache(DateTimeFormatter.ofPattern(
            "uuuu-MM-dd'T'HH:mm:ss.", Locale.ROOT).withZone(ZoneOffset.UTC));

    /** ISO-8601 in UTC with milliseconds, always three digits: {@code 2026-11-30T12:00:01.250Z}. */
    static void appendIsoMillis(StringBuilder b, Instant t) {
        int millis = t.getNano() / 1_000_000;
        b.append(ISO_SECOND.text(t));
        if (millis < 100) {
            b.append(millis < 10 ? "00" : "0");
        }
        b.append(millis).append('Z');
    }

    static AccessLogFormat of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "", "json" -> JSON;
            case "s3" -> S3;
            default -> throw new IllegalArgumentException("format must be json or s3: " + name);
        };
    }

    static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        int clean = 0;
        while (clean < value.length() && !needsEscape(value.charAt(clean))) {
            clean++;
        }
        b.append(value, 0, clean); // most values need no escaping: copied in one go
        for (int i = clean; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '"' || c == '\\';
    }

    /** A space-free field: {@code -} when absent, spaces and control characters percent-encoded. */
    private static String token(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == '"' || c == 0x7f) {
                if (b == null) {
                    b = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                b.append('%').append(String.format("%02X", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? value : b.toString();
    }

    private static String quoted(String value) {
        if (value == null) {
            return "\"-\"";
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ").replace("\r", " ") + '"';
    }
}
