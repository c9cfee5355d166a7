package io.multistore.testsupport;

import com.sun.net.httpserver.HttpServer;
import io.multistore.api.http.HttpExchange;
import io.multistore.api.http.RouteHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web site on 127.0.0.1 served by one {@link RouteHandler}, as the gateway would offer it requests (404 when it
 * declines or does not match): for testing a route handler — such as the OIDC discovery endpoints clouds fetch —
 * over real HTTP without starting the whole gateway. The handler is set after the site starts, so it can be
 * configured with {@link #url()}.
 */
public final class RouteSite implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger served = new AtomicInteger();
    private volatile RouteHandler handler;

    private RouteSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    public static RouteSite start() {
        try {
            return new RouteSite();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The handler answering from now on. */
    public void handler(RouteHandler handler) {
        this.handler = handler;
    }

    /** Requests the handler answered. */
    public int served() {
        return served.get();
    }

    private void serve(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        try (ex) {
            RouteHandler h = handler;
            Exchange exchange = new Exchange(ex);
            String path = ex.getRequestURI().getRawPath();
            if (h != null && h.matcher().matches(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery())
                    && h.handle(exchange)) {
                served.incrementAndGet();
                exchange.commit();
                return;
            }
            ex.sendResponseHeaders(404, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The gateway's exchange over the JDK server's; the body is buffered (route handlers write small documents). */
    private static final class Exchange implements HttpExchange {
        private final com.sun.net.httpserver.HttpExchange ex;
        private final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        private int status = 200;
        private boolean committed;

        Exchange(com.sun.net.httpserver.HttpExchange ex) {
            this.ex = ex;
        }

        void commit() throws IOException {
            committed = true;
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head || body.size() == 0 ? -1 : body.size());
            if (!head && body.size() > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    body.writeTo(out);
                }
            }
        }

        @Override
        public String method() {
            return ex.getRequestMethod();
        }

        @Override
        public String rawPath() {
            return ex.getRequestURI().getRawPath();
        }

        @Override
        public String rawQuery() {
            return ex.getRequestURI().getRawQuery();
        }

        @Override
        public String header(String name) {
            return ex.getRequestHeaders().getFirst(name);
        }

        @Override
        public List<String> headers(String name) {
            List<String> values = ex.getRequestHeaders().get(name);
            return values == null ? List.of() : values;
        }

        @Override
        public Collection<String> headerNames() {
            return ex.getRequestHeaders().keySet();
        }

        @Override
        public long requestLength() {
            String length = header("Content-Length");
            return length == null ? -1 : Long.parseLong(length);
        }

        @Override
        public InputStream requestBody() {
            return ex.getRequestBody();
        }

        @Override
        public String remoteAddress() {
            return ex.getRemoteAddress().getAddress().getHostAddress();
        }

        @Override
        public void setStatus(int status) {
            this.status = status;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public void setHeader(String name, String value) {
            if (!"Content-Length".equalsIgnoreCase(name)) {
                ex.getResponseHeaders().set(name, value);
            }
        }

        @Override
        public OutputStream responseBody() {
            return body;
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }
    }
}
