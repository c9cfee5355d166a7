package io.multistore.core.internal;

import io.multistore.api.http.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An {@link HttpExchange} over byte arrays, for driving the gateway in tests. */
final class MemoryExchange implements HttpExchange {

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private InputStream body = new ByteArrayInputStream(new byte[0]);
    private long length = -1;
    private int status = 200;
    private boolean committed;
    private final ByteArrayOutputStream response = new ByteArrayOutputStream();

    MemoryExchange(String method, String rawPath, String rawQuery) {
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        header("Host", "localhost:8080");
    }

    MemoryExchange header(String name, String value) {
        requestHeaders.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    MemoryExchange replaceHeader(String name, String value) {
        requestHeaders.put(name, new ArrayList<>(List.of(value)));
        return this;
    }

    MemoryExchange body(byte[] bytes) {
        this.body = new ByteArrayInputStream(bytes);
        this.length = bytes.length;
        return this;
    }

    MemoryExchange body(InputStream stream, long length) {
        this.body = stream;
        this.length = length;
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    String responseHeader(String name) {
        return responseHeaders.get(name);
    }

    Map<String, String> responseHeaders() {
        return responseHeaders;
    }

    byte[] responseBytes() {
        return response.toByteArray();
    }

    String responseText() {
        return response.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public String header(String name) {
        List<String> values = requestHeaders.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<String> headers(String name) {
        List<String> values = requestHeaders.get(name);
        return values == null ? List.of() : List.copyOf(values);
    }

    @Override
    public Collection<String> headerNames() {
        return List.copyOf(requestHeaders.keySet());
    }

    @Override
    public long requestLength() {
        return length;
    }

    @Override
    public InputStream requestBody() {
        return body;
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1";
    }

    @Override
    public void setStatus(int status) {
        if (committed) {
            throw new IllegalStateException("committed");
        }
        this.status = status;
    }

    @Override
    public void setHeader(String name, String value) {
        if (committed) {
            throw new IllegalStateException("committed");
        }
        responseHeaders.put(name, value);
    }

    @Override
    public OutputStream responseBody() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                committed = true;
                response.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                committed = true;
                response.write(b, off, len);
            }
        };
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }
}
