package io.multistore.lib.dataplane;

import java.io.Closeable;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A store's answer: status, headers (looked up case-insensitively) and the body as a stream. Closing the answer, or
 * its body, before the body's end aborts the connection instead of draining the rest to reuse it: draining a large
 * object nobody wants costs more than a new connection.
 */
public final class BackendResponse implements Closeable {

    private final int status;
    private final Map<String, List<String>> headers;
    private final ResponseStream body;

    /**
     * @param body  the body, or {@code null} for an answer without one (HEAD, 204, 304), whatever its
     *              {@code Content-Length} says
     * @param abort drops the connection (called when the body is closed before its end)
     */
    public BackendResponse(int status, Map<String, List<String>> headers, InputStream body, Runnable abort) {
        this.status = status;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body == null ? new ResponseStream(InputStream.nullInputStream(), abort, 0)
                : new ResponseStream(body, abort, contentLength(copy));
    }

    public int status() {
        return status;
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every header, names case-insensitive. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The body; closing it before its end aborts the connection. */
    public ResponseStream body() {
        return body;
    }

    /** {@code Content-Length}, or -1 when the answer has none (or an unreadable one). */
    public long contentLength() {
        return body.expected();
    }

    @Override
    public void close() {
        body.close();
    }

    private static long contentLength(Map<String, List<String>> headers) {
        List<String> values = headers.get("Content-Length");
        if (values == null || values.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(values.get(0).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
