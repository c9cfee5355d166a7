package io.multistore.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A web site of a few JSON documents on 127.0.0.1, for publishing what a component under test renders (an OIDC
 * provider's discovery document and JWKS) without starting the whole gateway. Paths can be set after it starts, so a
 * component can be configured with {@link #url()} first.
 */
public final class DocumentSite implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Supplier<byte[]>> documents = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();

    private DocumentSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                Supplier<byte[]> document = documents.get(ex.getRequestURI().getRawPath());
                if (document == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                fetches.incrementAndGet();
                byte[] body = document.get();
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    public static DocumentSite start() {
        try {
            return new DocumentSite();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves the supplier's current bytes at this path. */
    public void put(String path, Supplier<byte[]> document) {
        documents.put(path, document);
    }

    /** Documents served so far. */
    public int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
