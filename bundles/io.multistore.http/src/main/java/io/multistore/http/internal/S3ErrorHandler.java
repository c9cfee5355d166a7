package io.multistore.http.internal;

import io.multistore.api.S3Exception;
import io.multistore.api.http.Gateway;
import io.multistore.api.http.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty server's error handler while the S3 front end runs: what Jetty refuses before any servlet runs (a
 * request line or URI it cannot parse, a header section or URI over the limit) is answered with the gateway's S3
 * error document and a request id, instead of Jetty's HTML page.
 * <p>
 * This is the sound place for it: those requests never reach Felix's dispatcher, so whiteboard error pages
 * ({@code osgi.http.whiteboard.servlet.errorPage}) cannot answer them, and Felix HTTP's only error-page setting adds
 * headers to Jetty's HTML. Jetty hands the status and its reason to the {@code Server}'s error handler for every such
 * refusal, before anything was written.
 */
final class S3ErrorHandler implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(S3ErrorHandler.class);

    private final Gateway gateway;

    S3ErrorHandler(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
        String reason = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            reason = http.getReason() != null ? http.getReason() : reason;
        }
        // Jetty's placeholder paths: the request line itself failed (for a 400, its URI), or the URI did not decode
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        boolean badUri = "/badURI".equals(path) || "/badMessage".equals(path) && status == 400;
        S3Exception error = JettyFrontEnd.errorFor(status, badUri ? "bad URI" : reason);
        LOG.debug("Jetty refused a request with {} ({}); answering {}", status, reason, error.code());
        RefusedExchange exchange = new RefusedExchange(request, response);
        try {
            gateway.reject(exchange, error);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not answer a refused request: {}", e.toString());
            callback.failed(e);
            return true;
        }
        response.write(true, ByteBuffer.wrap(exchange.body.toByteArray()), callback);
        return true;
    }

    /** The refused request as the gateway sees it: method and headers if Jetty parsed them, a buffered body. */
    private static final class RefusedExchange implements HttpExchange {
        private final Request request;
        private final Response response;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

        RefusedExchange(Request request, Response response) {
            this.request = request;
            this.response = response;
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String rawPath() {
            return null; // the path is what Jetty could not take
        }

        @Override
        public String rawQuery() {
            return null;
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public List<String> headers(String name) {
            return request.getHeaders().getValuesList(name);
        }

        @Override
        public Collection<String> headerNames() {
            List<String> names = new ArrayList<>();
            for (HttpField field : request.getHeaders()) {
                names.add(field.getName());
            }
            return names;
        }

        @Override
        public long requestLength() {
            return -1;
        }

        @Override
        public InputStream requestBody() {
            return InputStream.nullInputStream();
        }

        @Override
        public String remoteAddress() {
            return Request.getRemoteAddr(request);
        }

        @Override
        public void setStatus(int status) {
            response.setStatus(status);
        }

        @Override
        public int status() {
            return response.getStatus();
        }

        @Override
        public void setHeader(String name, String value) {
            response.getHeaders().put(name, value);
        }

        @Override
        public OutputStream responseBody() {
            return body;
        }

        @Override
        public boolean isCommitted() {
            return response.isCommitted();
        }
    }
}
