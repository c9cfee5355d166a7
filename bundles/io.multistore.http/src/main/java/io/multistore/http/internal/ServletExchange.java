package io.multistore.http.internal;

import io.multistore.api.http.HttpExchange;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * An {@link HttpExchange} over the servlet request and response, without copying anything.
 */
final class ServletExchange implements HttpExchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    /** The request body once the gateway has opened it. */
    private ServletInputStream body;

    ServletExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String rawPath() {
        // Jetty returns the path as sent on the request line: still percent-encoded, as SigV4 needs it.
        return request.getRequestURI();
    }

    @Override
    public String rawQuery() {
        return request.getQueryString();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public List<String> headers(String name) {
        return Collections.list(request.getHeaders(name));
    }

    @Override
    public Collection<String> headerNames() {
        return Collections.list(request.getHeaderNames());
    }

    @Override
    public long requestLength() {
        return request.getContentLengthLong();
    }

    @Override
    public InputStream requestBody() throws IOException {
        body = request.getInputStream();
        return new RequestBody(body);
    }

    /**
     * The request body with the container's exceptions translated: a client that stops sending mid-body makes Jetty
     * throw its own {@code EofException} (whose text names Jetty's classes), and a message built from it could reach
     * the client. What the gateway sees instead is a plain {@link IOException} that says what happened, with the
     * container's exception as the cause for the log.
     */
    private static final class RequestBody extends FilterInputStream {
        RequestBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw translate(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw translate(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw translate(e);
            }
        }

        private static IOException translate(IOException e) {
            if (e instanceof EOFException) {
                return new EOFException("the client closed the connection before the body was complete");
            }
            if (e instanceof InterruptedIOException || e.getCause() instanceof TimeoutException) {
                return new IOException("the client stopped sending the body", e);
            }
            return new IOException("the connection failed while the body was read", e);
        }
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public void setStatus(int status) {
        response.setStatus(status);
        if (status >= 300 && bodyLeftUnread()) {
            // answered before the body was read (a refused signature, a failed precondition, an upload cut off):
            // the connection cannot carry another request, so say it will close (RFC 9110, 15) rather than close
            // it under a client that already sends its next request on it
            response.setHeader("Connection", "close");
        }
    }

    private boolean bodyLeftUnread() {
        if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return false;
        }
        // never opened: asking the container would make it send 100 Continue to a client that waits for it
        return body == null || !body.isFinished();
    }

    @Override
    public int status() {
        return response.getStatus();
    }

    @Override
    public void setHeader(String name, String value) {
        if ("Content-Length".equalsIgnoreCase(name)) {
            response.setContentLengthLong(Long.parseLong(value));
        } else if ("Content-Type".equalsIgnoreCase(name)) {
            JettyFrontEnd.setContentType(response, value); // as stored: the servlet layer would re-spell it
        } else {
            response.setHeader(name, value);
        }
    }

    @Override
    public OutputStream responseBody() throws IOException {
        return response.getOutputStream();
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
    }
}
