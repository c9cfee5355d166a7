package io.multistore.http.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.http.Gateway;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.IdentityHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the S3 front end needs from Jetty that the Servlet API cannot give; the only class of this bundle that
 * sees Jetty types (Felix HTTP exports Jetty's packages, so the bundle imports them like any other).
 * <p>
 * <b>Header values exactly as sent.</b> SigV4 signs header values byte for byte. Jetty's HTTP/1.1 parser looks every
 * header line up in a field cache — a static one of common values (forty {@code Content-Type}s such as
 * {@code text/plain; charset=utf-8}, {@code Connection: keep-alive}, {@code Host: localhost}, …) and a per-connection
 * one of values seen before — and by default that lookup ignores case: {@code text/plain; charset=utf-8} on the wire
 * is handed on as the cached {@code text/plain; charset=UTF-8}, and a value that merely starts like a cached one gets
 * the cached prefix. No view of the request, not even the raw {@code HttpFields}, holds the bytes after that: the
 * only fix is {@link HttpConfiguration#setHeaderCacheCaseSensitive(boolean)}, which makes the parser compare and keep
 * the bytes of the buffer. Felix HTTP has no setting for it and hands no bundle its {@code Server} before a request
 * arrives, so the first request served switches its connector's configuration (every later connection parses
 * exactly), and every request checks its own connection's parser: one created before the switch is switched too,
 * and the request it already parsed is answered with {@code Connection: close}, so that at most one request per
 * early connection — the first, during start-up — went through the case-insensitive cache.
 * <p>
 * <b>Errors Jetty answers itself.</b> A malformed request line, a URI that is not valid percent-encoded UTF-8 or a
 * header section over the limit never reach a servlet, so the whiteboard's error pages (which Felix serves from its
 * dispatcher servlet) never see them; Jetty answers through the {@code Server}'s error handler, by default an HTML
 * page. The same first request installs {@link S3ErrorHandler} as that handler, so those answers are S3 error
 * documents with a request id; {@link #close()} puts the previous one back. A server Felix builds anew (after a
 * configuration change) is configured by its own first request.
 * <p>
 * <b>Content-Type as stored.</b> The servlet response parses and re-spells a {@code Content-Type}
 * ({@code text/plain; charset=ISO-8859-1} goes out as {@code text/plain;charset=iso-8859-1}); object metadata must
 * go out as stored, so it is written to the core response's header fields, past the servlet layer.
 */
final class JettyFrontEnd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JettyFrontEnd.class);

    private final S3ErrorHandler errorHandler;
    /**
     * The servers this front end configured, with the error handler each had before; guarded by {@code this}. Felix
     * builds a new {@code Server} when its configuration changes, and with an empty whiteboard target the servlet
     * serves every server, so there may be several over time.
     */
    private final Map<Server, Request.Handler> configured = new IdentityHashMap<>();
    /** The server of the last request, read without locking: the common case is one server. */
    private volatile Server last;

    JettyFrontEnd(Gateway gateway) {
        this.errorHandler = new S3ErrorHandler(gateway);
    }

    /**
     * Called first for every request: configures its server when it is new to this front end, and closes the
     * connection after this request if its headers went through a case-insensitive parser.
     */
    void prepare(HttpServletRequest request, HttpServletResponse response) {
        ConnectionMetaData connection = ServletContextRequest.getServletContextRequest(request)
                .getConnectionMetaData();
        Server jetty = connection.getConnector().getServer();
        if (jetty != last) {
            configure(jetty);
        }
        if (connection.getConnection() instanceof HttpConnection http) {
            HttpParser parser = http.getParser();
            if (!parser.isHeaderCacheCaseSensitive()) {
                // accepted before the switch: the next requests on it are parsed exactly, this one may not have been
                parser.setHeaderCacheCaseSensitive(true);
                response.setHeader("Connection", "close");
                LOG.debug("Request on a connection accepted before exact header parsing was on; closing it after");
            }
        }
    }

    private synchronized void configure(Server jetty) {
        last = jetty;
        if (configured.containsKey(jetty)) {
            return;
        }
        configured.keySet().removeIf(Server::isStopped); // replaced by Felix: nothing to put back
        for (Connector connector : jetty.getConnectors()) {
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                http.getHttpConfiguration().setHeaderCacheCaseSensitive(true);
            }
        }
        configured.put(jetty, jetty.getErrorHandler());
        jetty.setErrorHandler(errorHandler);
        LOG.debug("Jetty configured for S3: exact header values, S3 error documents for refused requests");
    }

    /** Sets the response's {@code Content-Type} exactly as given. */
    static void setContentType(HttpServletResponse response, String value) {
        ServletContextResponse servlet = ServletContextResponse.getServletContextResponse(response);
        if (servlet.isCommitted()) {
            return;
        }
        servlet.getWrapped().getHeaders().put(HttpHeader.CONTENT_TYPE, value);
    }

    /** Puts back the error handlers this front end replaced (the servlet is going away). */
    @Override
    public synchronized void close() {
        configured.forEach((jetty, previous) -> {
            if (jetty.getErrorHandler() == errorHandler) {
                jetty.setErrorHandler(previous);
            }
        });
        configured.clear();
        last = null;
    }

    /** The S3 error a status Jetty chose for a request it refused maps to. */
    static S3Exception errorFor(int status, String reason) {
        if (status == 431 || status == 414) {
            return new S3Exception(S3ErrorCode.RequestHeaderSectionTooLarge);
        }
        if (status == 400 && reason != null && isUriProblem(reason)) {
            return new S3Exception(S3ErrorCode.InvalidURI);
        }
        if (status == 413) {
            return new S3Exception(S3ErrorCode.EntityTooLarge);
        }
        if (status >= 500) {
            return new S3Exception(S3ErrorCode.InternalError, "the servlet container failed: " + status + " "
                    + reason);
        }
        return new S3Exception(S3ErrorCode.InvalidRequest, "The request could not be parsed as HTTP/1.1.");
    }

    /** Jetty's reasons for a URI it cannot decode: "Bad URI", "Bad UTF-8 encoding", "Illegal Path Character", … */
    private static boolean isUriProblem(String reason) {
        return containsIgnoreCase(reason, "uri") || containsIgnoreCase(reason, "utf")
                || containsIgnoreCase(reason, "path") || containsIgnoreCase(reason, "encoding")
                || containsIgnoreCase(reason, "escape") || containsIgnoreCase(reason, "percent");
    }

    private static boolean containsIgnoreCase(String text, String part) {
        for (int i = 0; i + part.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }
}
