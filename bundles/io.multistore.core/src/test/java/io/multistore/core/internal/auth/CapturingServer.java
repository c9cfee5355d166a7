package io.multistore.core.internal.auth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP listener that records each request exactly as a client sent it (method, raw path and query,
 * headers, body bytes) and answers 200 with an ETag, so the AWS SDK's own wire encoding can be fed to the verifier.
 */
final class CapturingServer implements AutoCloseable {

    record Captured(SignedRequest request, byte[] body) {
    }

    private final HttpServer server;
    private final List<Captured> captured = new CopyOnWriteArrayList<>();

    CapturingServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI uri = exchange.getRequestURI();
            captured.add(new Captured(new SignedRequest(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery(), headers), body));
            exchange.getResponseHeaders().add("ETag", "\"0123456789abcdef0123456789abcdef\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Captured last() {
        return captured.get(captured.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
