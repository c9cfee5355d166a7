package io.multistore.backend.azure.internal;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeader;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import io.multistore.lib.dataplane.BackendRequest;
import io.multistore.lib.dataplane.BackendResponse;
import io.multistore.lib.dataplane.HttpTransport;
import io.multistore.lib.dataplane.OutboundBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Azure SDK's HTTP client, on the gateway's shared transport: the control plane's requests (listings, block
 * commits, copies, batches, container operations) use the same connection pool and retry policy as the data plane,
 * and the SDK brings no client, event loop or selector thread of its own. Control-plane requests and answers are
 * small (an XML listing page, a block list), so both are held in memory.
 */
final class TransportHttpClient implements HttpClient {

    private final HttpTransport transport;

    TransportHttpClient(HttpTransport transport) {
        this.transport = transport;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return Mono.fromCallable(() -> sendSync(request, Context.NONE));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        Map<String, String> headers = new HashMap<>();
        for (HttpHeader header : request.getHeaders()) {
            // the transport sets Content-Length from the body, as the signature has it
            if (!header.getName().equalsIgnoreCase("Content-Length")) {
                headers.put(header.getName(), header.getValue());
            }
        }
        BinaryData data = request.getBodyAsBinaryData();
        byte[] body = data == null ? null : data.toBytes();
        OutboundBody outbound = body == null || body.length == 0 && !hasLength(request)
                ? null : OutboundBody.of(body, 0, body.length);
        try (BackendResponse response = transport.send(new BackendRequest(request.getHttpMethod().name(),
                URI.create(request.getUrl().toExternalForm()), headers, outbound))) {
            HttpHeaders answer = new HttpHeaders();
            response.headers().forEach((name, values) -> {
                for (String value : values) {
                    answer.add(HttpHeaderName.fromString(name), value);
                }
            });
            byte[] content = "HEAD".equals(request.getHttpMethod().name()) ? new byte[0]
                    : response.body().readAllBytes();
            return new Answer(request, response.status(), answer, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasLength(HttpRequest request) {
        String length = request.getHeaders().getValue(HttpHeaderName.CONTENT_LENGTH);
        return length != null && !length.equals("0");
    }

    /** A buffered answer. */
    private static final class Answer extends HttpResponse {
        private final int status;
        private final HttpHeaders headers;
        private final byte[] body;

        Answer(HttpRequest request, int status, HttpHeaders headers, byte[] body) {
            super(request);
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public String getHeaderValue(HttpHeaderName name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.defer(() -> Flux.just(ByteBuffer.wrap(body)));
        }

        @Override
        public BinaryData getBodyAsBinaryData() {
            return BinaryData.fromBytes(body);
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(body);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return getBodyAsString(StandardCharsets.UTF_8);
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just(new String(body, charset));
        }

        @Override
        public InputStream getBodyAsInputStreamSync() {
            return new java.io.ByteArrayInputStream(body);
        }

        @Override
        public Mono<InputStream> getBodyAsInputStream() {
            return Mono.fromSupplier(this::getBodyAsInputStreamSync);
        }

        @Override
        public HttpResponse buffer() {
            return this;
        }
    }
}
