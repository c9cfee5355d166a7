package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming reader of a {@code multipart/form-data} body (RFC 7578): parts one after the other, each part's body an
 * {@link InputStream} that ends at the next delimiter. Memory is one fixed buffer whatever the size of a part; the
 * part headers are bounded by the budget the caller gives.
 * <p>
 * Not thread-safe; a part's stream must be read (or skipped by asking for the next part) before the next part.
 */
final class MultipartReader {

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_BOUNDARY = 70; // RFC 2046

    private final InputStream in;
    /** {@code CRLF--boundary}: what ends a part's body. */
    private final byte[] delimiter;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;
    /** No delimiter begins before this index of {@link #buf} (a search never scans the same bytes twice). */
    private int clean;
    private boolean eof;
    private boolean finished;
    private PartStream current;

    /** One part: its name and file name from {@code Content-Disposition}, its Content-Type, and its body. */
    record Part(String name, String filename, String contentType, InputStream body) {
    }

    /**
     * @throws S3Exception MalformedPOSTRequest when the boundary is missing or not a valid one
     */
    MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw malformed("the Content-Type has no valid multipart boundary");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // the first delimiter may open the body without a CRLF before it: pretend one was there
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    /** The boundary parameter of a {@code multipart/form-data} Content-Type, or {@code null} if it is not one. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("multipart/form-data")) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String value = p.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return "";
    }

    /**
     * The next part, its headers read; {@code null} after the closing delimiter. Whatever was left of the previous
     * part's body is skipped.
     *
     * @param headerBudget the most bytes the part's headers may take
     * @throws S3Exception MalformedPOSTRequest for a body that is not multipart/form-data,
     *                     MaxPostPreDataLengthExceededError when the headers exceed the budget
     * @throws IOException when the connection fails
     */
    Part next(int headerBudget) throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            // the preamble, before the first delimiter, is ignored
            skipToDelimiter();
        } else {
            current.skipRest();
        }
        // after a delimiter: "--" closes the body; otherwise optional whitespace and CRLF, then the part's headers
        if (!ensure(2)) {
            throw malformed("the body ends after a boundary");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        if (!ensure(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw malformed("a boundary is not followed by a line break");
        }
        pos += 2;
        Map<String, String> headers = readHeaders(headerBudget);
        String disposition = headers.get("content-disposition");
        if (disposition == null) {
            throw malformed("a part has no Content-Disposition");
        }
        Map<String, String> params = dispositionParams(disposition);
        String name = params.get("name");
        if (name == null) {
            throw malformed("a part's Content-Disposition has no name");
        }
        current = new PartStream();
        return new Part(name, params.get("filename"), headers.get("content-type"), current);
    }

    private Map<String, String> readHeaders(int budget) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int used = 0;
        while (true) {
            if (!ensure(1)) {
                throw malformed("the body ends inside a part's headers");
            }
            byte b = buf[pos++];
            if (++used > budget) {
                throw new S3Exception(S3ErrorCode.MaxPostPreDataLengthExceededError);
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            byte[] bytes = line.toByteArray();
            int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            line.reset();
            if (end == 0) {
                return headers;
            }
            String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw malformed("a part header has no ':'");
            }
            headers.putIfAbsent(text.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    text.substring(colon + 1).trim());
        }
    }

    /**
     * {@code form-data; name="key"; filename="a.txt"}: parameter names lower case, quoted values unquoted. A
     * backslash is a character like any other (browsers percent-encode quotes; old ones send Windows paths).
     */
    static Map<String, String> dispositionParams(String header) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = header.indexOf(';');
        if (i < 0 || !header.substring(0, i).trim().equalsIgnoreCase("form-data")) {
            throw malformed("a part's Content-Disposition is not form-data");
        }
        int n = header.length();
        i++;
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t' || header.charAt(i) == ';')) {
                i++;
            }
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && header.charAt(i) == '"') {
                i++;
                while (i < n && header.charAt(i) != '"') {
                    value.append(header.charAt(i++));
                }
                i++; // the closing quote
            } else {
                while (i < n && header.charAt(i) != ';') {
                    value.append(header.charAt(i++));
                }
            }
            params.putIfAbsent(name, value.toString().trim());
        }
        return params;
    }

    /** Discards bytes up to and including the next delimiter. */
    private void skipToDelimiter() throws IOException {
        byte[] scratch = new byte[BUFFER_SIZE];
        PartStream preamble = new PartStream();
        while (preamble.read(scratch, 0, scratch.length) >= 0) {
            // discard
        }
    }

    /** Makes at least {@code n} unread bytes available; false at end of stream with fewer. */
    private boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            clean = Math.max(0, clean - pos);
            pos = 0;
        }
        while (limit - pos < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    /** Index of the delimiter in the unread bytes, or -1. */
    private int indexOfDelimiter() {
        int last = limit - delimiter.length;
        outer:
        for (int i = Math.max(pos, clean); i <= last; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            clean = i;
            return i;
        }
        clean = Math.max(clean, last + 1);
        return -1;
    }

    /** The body of one part: the bytes up to the next delimiter, which it consumes. */
    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int at = indexOfDelimiter();
                if (at == pos) {
                    pos += delimiter.length;
                    done = true;
                    return -1;
                }
                // bytes before a delimiter found, or all but a tail that may begin one
                int safe = at >= 0 ? at - pos : limit - pos - (delimiter.length - 1);
                if (safe > 0) {
                    int n = Math.min(safe, len);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (eof) {
                    throw malformed("the body ends without its closing boundary");
                }
                ensure(limit - pos + 1);
            }
        }

        void skipRest() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }
    }

    static S3Exception malformed(String detail) {
        return S3Exception.withDetail(S3ErrorCode.MalformedPOSTRequest,
                S3ErrorCode.MalformedPOSTRequest.defaultMessage(), detail);
    }
}
