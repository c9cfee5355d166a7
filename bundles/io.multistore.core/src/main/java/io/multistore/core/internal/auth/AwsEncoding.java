package io.multistore.core.internal.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * AWS's URI encoding for canonical requests: unreserved characters ({@code A-Z a-z 0-9 - _ . ~}) stay, every other
 * byte becomes {@code %XX} in upper case. Input is first percent-decoded, so whatever encoding a client chose for
 * the wire (lower-case hex, an unencoded {@code *} or {@code !}) canonicalises to the same string it signed.
 */
final class AwsEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private AwsEncoding() {
    }

    /** The canonical URI of an S3 request: each path segment decoded and re-encoded once, {@code /} kept. */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        int start = 0;
        while (true) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? rawPath.length() : slash;
            encode(decodeBytes(rawPath, start, end), out);
            if (slash < 0) {
                break;
            }
            out.append('/');
            start = slash + 1;
        }
        String path = out.toString();
        return path.startsWith("/") ? path : "/" + path;
    }

    /**
     * The canonical query string: parameters decoded and re-encoded, sorted by name then value, {@code name=} for
     * parameters without a value.
     *
     * @param exclude a parameter name left out (the presigned signature), or {@code null}
     */
    static String canonicalQuery(String rawQuery, String exclude) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String[] param : decodeQuery(rawQuery)) {
            if (exclude != null && exclude.equals(param[0])) {
                continue;
            }
            params.add(new String[] {encode(param[0]), encode(param[1])});
        }
        params.sort((a, b) -> {
            int byName = a[0].compareTo(b[0]);
            return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
        StringBuilder out = new StringBuilder(rawQuery.length() + 16);
        for (String[] param : params) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(param[0]).append('=').append(param[1]);
        }
        return out.toString();
    }

    /** The query's parameters as sent, {@code name=} for those without a value, sorted. */
    static String sortedQueryAsSent(String rawQuery, String exclude) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> params = new ArrayList<>();
        for (String param : rawQuery.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            if (exclude != null && exclude.equals(eq < 0 ? param : param.substring(0, eq))) {
                continue;
            }
            params.add(eq < 0 ? param + "=" : param);
        }
        params.sort(null);
        return String.join("&", params);
    }

    /** The query's parameters, decoded, as {name, value} pairs in order ({@code ""} for a missing value). */
    static List<String[]> decodeQuery(String rawQuery) {
        List<String[]> params = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (end > start) {
                int eq = rawQuery.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    params.add(new String[] {decode(rawQuery, start, end), ""});
                } else {
                    params.add(new String[] {decode(rawQuery, start, eq), decode(rawQuery, eq + 1, end)});
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return params;
    }

    /** AWS-encodes a string's UTF-8 bytes. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        encode(text.getBytes(StandardCharsets.UTF_8), out);
        return out.toString();
    }

    private static void encode(byte[] bytes, StringBuilder out) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    /**
     * Percent-decodes {@code s[from, to)} into UTF-8 text. A {@code %} not followed by two hex digits is taken
     * literally; {@code +} stays a plus (SigV4 clients encode a space as {@code %20}).
     */
    static String decode(String s, int from, int to) {
        return new String(decodeBytes(s, from, to), StandardCharsets.UTF_8);
    }

    /** Percent-decodes {@code s[from, to)} into bytes, so undecodable UTF-8 survives a round trip. */
    static byte[] decodeBytes(String s, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < to && hexDigit(s.charAt(i + 1)) >= 0 && hexDigit(s.charAt(i + 2)) >= 0) {
                bytes.write(hexDigit(s.charAt(i + 1)) << 4 | hexDigit(s.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                int cpEnd = Character.isHighSurrogate(c) && i + 1 < to ? i + 2 : i + 1;
                byte[] utf8 = s.substring(i, cpEnd).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i = cpEnd - 1;
            }
        }
        return bytes.toByteArray();
    }

    private static int hexDigit(char c) {
        return Character.digit(c, 16);
    }
}
