package io.multistore.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One HTTP request and its response, as the front end hands it to the gateway. Header names are case-insensitive.
 * Bodies are streams: nothing is buffered whole.
 */
@ProviderType
public interface HttpExchange {

    String method();

    /** The request path exactly as sent, still percent-encoded, without the query. */
    String rawPath();

    /** The query string exactly as sent, or {@code null}. */
    String rawQuery();

    /** The first value of a header, or {@code null}. */
    String header(String name);

    /** Every value of a header, in order; empty if absent. */
    List<String> headers(String name);

    /** The header names present, in the client's spelling. */
    Collection<String> headerNames();

    /** The request body's length from {@code Content-Length}, or -1 when unknown (chunked). */
    long requestLength();

    InputStream requestBody() throws IOException;

    /**
     * The body of a small {@code application/x-www-form-urlencoded} {@code POST} (as SDKs send STS calls), still
     * percent-encoded, for route handlers. At most {@code maxBytes} are read; the body stays readable from
     * {@link #requestBody()} whole afterwards, so a handler that declines leaves it to the S3 path.
     *
     * @return the body, or empty when the request is not a form {@code POST}, declares or has more than
     *         {@code maxBytes}, or the exchange cannot replay its body (the default)
     * @since 1.1
     */
    default Optional<String> formBody(int maxBytes) throws IOException {
        return Optional.empty();
    }

    String remoteAddress();

    void setStatus(int status);

    /** The status set so far (200 until one is set). */
    int status();

    void setHeader(String name, String value);

    /** The response body; the first write commits status and headers. */
    OutputStream responseBody() throws IOException;

    /** Whether status and headers were already sent (an error can then only abort the connection). */
    boolean isCommitted();
}
