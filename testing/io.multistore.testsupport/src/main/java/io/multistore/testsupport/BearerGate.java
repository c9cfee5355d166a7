package io.multistore.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A storage front door that accepts only bearer tokens a token service issued, for emulators that cannot check them
 * themselves (fake-gcs-server ignores authentication; Azurite checks OAuth only over HTTPS and does not verify
 * signatures). Every request must carry {@code Authorization: Bearer <token>} with a token the predicate accepts
 * (else 401 and the request never reaches the emulator); accepted requests are forwarded, bodies streamed both ways,
 * with the {@code Authorization} header replaced by what the emulator itself accepts (nothing, or a query suffix such
 * as Azurite's account SAS).
 */
public final class BearerGate implements AutoCloseable {

    private static final Set<String> HOP = Set.of("authorization", "host", "connection", "content-length",
            "transfer-encoding", "expect", "upgrade", "keep-alive");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String target;
    private final Predicate<String> accepts;
    private final String querySuffix;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private BearerGate(String target, Predicate<String> accepts, String querySuffix) throws IOException {
        this.target = target.replaceAll("/+$", "");
        this.accepts = accepts;
        this.querySuffix = querySuffix;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * @param target      the emulator's root URL ({@code http://127.0.0.1:PORT})
     * @param accepts     which bearer tokens may pass
     * @param querySuffix appended to every forwarded query (e.g. a SAS), or {@code null}
     */
    public static BearerGate start(String target, Predicate<String> accepts, String querySuffix) {
        try {
            return new BearerGate(target, accepts, querySuffix);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, standing in for the emulator's root. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests let through. */
    public int accepted() {
        return accepted.get();
    }

    /** Requests refused for a missing or unknown bearer token. */
    public int refused() {
        return refused.get();
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7) : null;
            if (token == null || !accepts.test(token)) {
                refused.incrementAndGet();
                ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
                ex.sendResponseHeaders(401, -1);
                return;
            }
            accepted.incrementAndGet();
            String query = ex.getRequestURI().getRawQuery();
            if (querySuffix != null) {
                query = query == null || query.isEmpty() ? querySuffix : query + "&" + querySuffix;
            }
            URI uri = URI.create(target + ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query));
            String length = ex.getRequestHeaders().getFirst("Content-Length");
            long bodyLength = length == null ? -1 : Long.parseLong(length);
            boolean chunked = "chunked".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Transfer-Encoding"));
            HttpRequest.BodyPublisher body = bodyLength > 0 || chunked
                    ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            ex::getRequestBody), chunked ? -1 : bodyLength)
                    : HttpRequest.BodyPublishers.noBody();
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .method(ex.getRequestMethod(), body);
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (!HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    for (String v : h.getValue()) {
                        request.header(h.getKey(), v);
                    }
                }
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, values);
                }
            });
            long responseLength = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            int status = response.statusCode();
            boolean empty = "HEAD".equals(ex.getRequestMethod()) || status == 204 || status == 304;
            if (empty) {
                if (responseLength >= 0 && "HEAD".equals(ex.getRequestMethod())) {
                    ex.getResponseHeaders().set("Content-Length", Long.toString(responseLength));
                }
                ex.sendResponseHeaders(status, -1);
                response.body().close();
                return;
            }
            ex.sendResponseHeaders(status, responseLength == 0 ? -1 : responseLength < 0 ? 0 : responseLength);
            try (InputStream in = response.body(); OutputStream out = ex.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
