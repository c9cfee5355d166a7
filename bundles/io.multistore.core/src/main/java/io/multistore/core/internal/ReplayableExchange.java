package io.multistore.core.internal;

import io.multistore.api.http.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The exchange as route handlers see it: {@link #formBody(int)} reads a small form body into memory (bounded), and
 * {@link #requestBody()} then replays those bytes before the rest of the stream, so the S3 path gets the body
 * whole when every handler declines.
 */
final class ReplayableExchange implements HttpExchange {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final HttpExchange delegate;
    /** Bytes taken from the body so far (replayed first); {@code null} while nothing was read. */
    private byte[] taken;
    /** Whether {@link #taken} is the whole body. */
    private boolean complete;

    ReplayableExchange(HttpExchange delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<String> formBody(int maxBytes) throws IOException {
        if (!"POST".equals(delegate.method()) || !isForm(delegate.header("Content-Type"))) {
            return Optional.empty();
        }
        if (taken == null) {
            long declared = delegate.requestLength();
            if (declared > maxBytes) {
                return Optional.empty(); // too large to be a form we answer: nothing read
            }
            // read at most maxBytes + 1, so a chunked body over the limit is recognised without reading it all
            taken = delegate.requestBody().readNBytes(maxBytes + 1);
            complete = taken.length <= maxBytes;
        }
        if (!complete || taken.length > maxBytes) {
            return Optional.empty();
        }
        return Optional.of(new String(taken, StandardCharsets.UTF_8));
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals(FORM);
    }

    @Override
    public InputStream requestBody() throws IOException {
        if (taken == null) {
            return delegate.requestBody();
        }
        InputStream replay = new ByteArrayInputStream(taken);
        return complete ? replay : new SequenceInputStream(replay, delegate.requestBody());
    }

    @Override
    public String method() {
        return delegate.method();
    }

    @Override
    public String rawPath() {
        return delegate.rawPath();
    }

    @Override
    public String rawQuery() {
        return delegate.rawQuery();
    }

    @Override
    public String header(String name) {
        return delegate.header(name);
    }

    @Override
    public List<String> headers(String name) {
        return delegate.headers(name);
    }

    @Override
    public Collection<String> headerNames() {
        return delegate.headerNames();
    }

    @Override
    public long requestLength() {
        return delegate.requestLength();
    }

    @Override
    public String remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public void setStatus(int status) {
        delegate.setStatus(status);
    }

    @Override
    public int status() {
        return delegate.status();
    }

    @Override
    public void setHeader(String name, String value) {
        delegate.setHeader(name, value);
    }

    @Override
    public OutputStream responseBody() throws IOException {
        return delegate.responseBody();
    }

    @Override
    public boolean isCommitted() {
        return delegate.isCommitted();
    }
}
