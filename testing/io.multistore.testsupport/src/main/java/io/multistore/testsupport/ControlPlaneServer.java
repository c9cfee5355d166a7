package io.multistore.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP control plane as an operator would run one: {@code GET /buckets}, {@code /buckets/{name}},
 * {@code /roles/{role_id}}, {@code /credentials/{access_key_id}} serve the JSON records it holds, 404 for absent
 * ones; with a token set, requests without {@code Authorization: Bearer TOKEN} get 401. It runs on the JDK's HTTP
 * server, decodes paths as a web framework would, and records every path it was asked for, so tests can check what
 * reached it. {@link #stop()} and {@link #restart()} take it down and bring it back on the same port.
 */
public final class ControlPlaneServer implements AutoCloseable {

    static {
        // the JDK server writes headers and body separately: without TCP_NODELAY, Nagle and the client's delayed
        // ACK add ~40 ms to every answer, which no real control plane does
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Map<String, Map<String, String>> records = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger recordRequests = new AtomicInteger();
    private final int port;
    private final String token;
    private HttpServer server;

    private ControlPlaneServer(int port, String token) throws IOException {
        this.port = port;
        this.token = token;
        restart();
    }

    /** Starts a control plane on a free loopback port; {@code token} null for no authorization. */
    public static ControlPlaneServer start(String token) throws IOException {
        return new ControlPlaneServer(0, token);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server != null ? server.getAddress().getPort() : port;
    }

    /** Stores or replaces a record: collection is {@code buckets}, {@code roles} or {@code credentials}. */
    public void put(String collection, String id, String json) {
        records.computeIfAbsent(collection, c -> new ConcurrentHashMap<>()).put(id, json);
    }

    public void delete(String collection, String id) {
        records.getOrDefault(collection, Map.of()).remove(id);
    }

    /** Every request path received, decoded, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** How many single-record requests were answered. */
    public int recordRequests() {
        return recordRequests.get();
    }

    /** Takes the control plane down: connections are refused. */
    public synchronized void stop() {
        if (server != null) {
            int was = server.getAddress().getPort();
            server.stop(0);
            server = null;
            lastPort = was;
        }
    }

    private int lastPort;

    /** Starts it (again) on the same port. */
    public synchronized void restart() throws IOException {
        int bindPort = server == null && lastPort != 0 ? lastPort : port;
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), bindPort), 50);
        s.createContext("/", this::handle);
        s.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "control-plane");
            t.setDaemon(true);
            return t;
        }));
        s.start();
        server = s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\": \"unauthorized\"}");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "{}");
                return;
            }
            if (path.equals("/buckets")) {
                send(exchange, 200, "[" + String.join(",", records.getOrDefault("buckets", Map.of()).values()) + "]");
                return;
            }
            String[] parts = path.split("/", 3);
            if (parts.length == 3 && List.of("buckets", "roles", "credentials").contains(parts[1])) {
                recordRequests.incrementAndGet();
                String json = records.getOrDefault(parts[1], Map.of()).get(parts[2]);
                send(exchange, json == null ? 404 : 200, json == null ? "{\"error\": \"not found\"}" : json);
                return;
            }
            send(exchange, 404, "{\"error\": \"no such route\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
