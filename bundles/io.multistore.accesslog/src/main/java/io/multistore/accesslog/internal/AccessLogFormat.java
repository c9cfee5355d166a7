package io.multistore.accesslog.internal;

import io.multistore.api.observe.CompletedRequest;
import java.nio.charset.StandardCharsets;
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
        private final byte[] start = ascii("{\"ts\":\"");
        private final byte[] requestId = field("request_id");
        private final byte[] remote = field("remote");
        private final byte[] principal = field("principal");
        private final byte[] method = field("method");
        private final byte[] operation = field("operation");
        private final byte[] bucket = field("bucket");
        private final byte[] key = field("key");
        private final byte[] status = field("status");
        private final byte[] error = field("error");
        private final byte[] bytesIn = field("bytes_in");
        private final byte[] bytesOut = field("bytes_out");
        private final byte[] ttfb = field("ttfb_ms");
        private final byte[] total = field("total_ms");
        private final byte[] backend = field("backend_ms");
        private final byte[] userAgent = field("user_agent");

        @Override
        void append(LineBuffer b, CompletedRequest r) {
            b.raw(start);
            appendIsoMillis(b, r.started());
            b.ascii('"');
            string(b.raw(requestId), r.requestId());
            string(b.raw(remote), r.remoteAddress());
            string(b.raw(principal), r.principal());
            string(b.raw(method), r.method());
            string(b.raw(operation), r.operation());
            string(b.raw(bucket), r.bucket());
            string(b.raw(key), r.key());
            b.raw(status).number(r.status());
            string(b.raw(error), r.errorCode());
            b.raw(bytesIn).number(r.bytesIn());
            b.raw(bytesOut).number(r.bytesOut());
            b.raw(ttfb).number(millis(r.firstByteNanos()));
            b.raw(total).number(millis(r.totalNanos()));
            b.raw(backend).number(millis(r.backendNanos()));
            string(b.raw(userAgent), r.userAgent());
            b.ascii('}');
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
        private final byte[] rest = ascii(" REST.");
        private final byte[] noUri = ascii(" \"-\" ");
        private final byte[] noSize = ascii(" - ");

        @Override
        void append(LineBuffer b, CompletedRequest r) {
            b.ascii('-').ascii(' ');
            token(b, r.bucket()).ascii(' ').raw(time.text(r.started())).ascii(' ');
            token(b, r.remoteAddress()).ascii(' ');
            token(b, r.principal()).ascii(' ');
            token(b, r.requestId()).raw(rest);
            token(b, r.method()).ascii('.');
            token(b, r.operation()).ascii(' ');
            token(b, r.key()).raw(noUri).number(r.status()).ascii(' ');
            token(b, r.errorCode()).ascii(' ');
            if (r.bytesOut() == 0) {
                b.ascii('-');
            } else {
                b.number(r.bytesOut());
            }
            b.raw(noSize).number(millis(r.totalNanos())).ascii(' ').number(millis(r.firstByteNanos()));
            quoted(b.raw(noUri), r.userAgent());
        }
    };

    /** Appends the request's line, without a line break. */
    abstract void append(LineBuffer b, CompletedRequest request);

    /**
     * The request's line in UTF-8, without a line break. Formatted on the request's own thread, in a buffer of that
     * thread's, while the request's fields are still in its CPU cache: formatting them later on the writer's thread
     * would read every field of hundreds of requests back from memory.
     */
    byte[] bytes(CompletedRequest request) {
        LineBuffer b = new LineBuffer(SCRATCH.get());
        append(b, request);
        if (b.capacity() <= MAX_SCRATCH) {
            SCRATCH.set(b.array()); // grown for a long key or user agent: kept for the next line
        }
        return b.toBytes();
    }

    String line(CompletedRequest request) {
        return new String(bytes(request), StandardCharsets.UTF_8);
    }

    /**
     * Each thread's formatting buffer. A plain {@code byte[]}: a JDK type, so the pooled threads that hold one keep no
     * class of this bundle, and with it the bundle's class loader, alive after the bundle has been updated.
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[512]);
    /** Larger arrays (a line with a very long key or user agent) are not kept: up to 2,048 pooled threads hold one. */
    private static final int MAX_SCRATCH = 4 * 1024;

    /**
     * A timestamp's text formatted once per second, not once per line: formatting an instant costs more than the
     * rest of a line, and a busy gateway logs thousands of lines within one second.
     */
    static final class SecondCache {
        private record Entry(long second, byte[] text) {
        }

        private final DateTimeFormatter formatter;
        private volatile Entry last = new Entry(Long.MIN_VALUE, new byte[0]);

        SecondCache(DateTimeFormatter formatter) {
            this.formatter = formatter;
        }

        byte[] text(Instant t) {
            long second = t.getEpochSecond();
            Entry e = last;
            if (e.second != second) {
                e = new Entry(second, ascii(formatter.format(Instant.ofEpochSecond(second))));
                last = e;
            }
            return e.text;
        }
    }

    /** {@code 2026-11-30T12:00:01.} of the second; the milliseconds are appended per line. */
    private static final SecondCache ISO_SECOND = new SecondCache(DateTimeFormatter.ofPattern(
            "uuuu-MM-dd'T'HH:mm:ss.", Locale.ROOT).withZone(ZoneOffset.UTC));

    /** ISO-8601 in UTC with milliseconds, always three digits: {@code 2026-11-30T12:00:01.250Z}. */
    static void appendIsoMillis(LineBuffer b, Instant t) {
        int millis = t.getNano() / 1_000_000;
        b.raw(ISO_SECOND.text(t));
        if (millis < 100) {
            b.ascii('0');
            if (millis < 10) {
                b.ascii('0');
            }
        }
        b.number(millis).ascii('Z');
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

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code ,"name":}, the start of a JSON field after the first. */
    private static byte[] field(String name) {
        return ascii(",\"" + name + "\":");
    }

    private static final byte[] NULL = ascii("null");

    /** A JSON string, or {@code null}. */
    private static void string(LineBuffer b, String value) {
        if (value == null) {
            b.raw(NULL);
            return;
        }
        b.ascii('"');
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                b.text(value, from, i);
                from = i + 1;
                switch (c) {
                    case '"' -> b.ascii('\\').ascii('"');
                    case '\\' -> b.ascii('\\').ascii('\\');
                    case '\n' -> b.ascii('\\').ascii('n');
                    case '\r' -> b.ascii('\\').ascii('r');
                    case '\t' -> b.ascii('\\').ascii('t');
                    default -> b.unicodeEscape(c);
                }
            }
        }
        b.text(value, from, value.length()).ascii('"');
    }

    /** A space-free field: {@code -} when absent, spaces, quotes and control characters percent-encoded. */
    private static LineBuffer token(LineBuffer b, String value) {
        if (value == null || value.isEmpty()) {
            return b.ascii('-');
        }
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == '"' || c == 0x7f) {
                b.text(value, from, i).percent(c);
                from = i + 1;
            }
        }
        return b.text(value, from, value.length());
    }

    /** A quoted field: backslashes and quotes escaped, line breaks as spaces. */
    private static void quoted(LineBuffer b, String value) {
        if (value == null) {
            b.ascii('"').ascii('-').ascii('"');
            return;
        }
        b.ascii('"');
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"' || c == '\n' || c == '\r') {
                b.text(value, from, i);
                from = i + 1;
                if (c == '\n' || c == '\r') {
                    b.ascii(' ');
                } else {
                    b.ascii('\\').ascii(c);
                }
            }
        }
        b.text(value, from, value.length()).ascii('"');
    }
}
