package io.multistore.lib.dataplane;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One data-plane request, already signed: the transport sends exactly these headers (adding only
 * {@code Content-Length} from the body and {@code Expect: 100-continue} for large bodies, neither of which a
 * store's signature covers here).
 *
 * @param method  {@code GET}, {@code HEAD}, {@code PUT}, …
 * @param uri     the request URI with its path and query already percent-encoded as the signature covers them
 * @param headers header names and values, sent as given
 * @param body    the body, or {@code null} for none
 */
public record BackendRequest(String method, URI uri, Map<String, String> headers, OutboundBody body) {

    public BackendRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = headers == null ? Map.of() : headers;
    }

    /** Whether a failed attempt may be sent again: no body, a buffered body, or a stream not yet read. */
    public boolean replayable() {
        return body == null || body.replayable();
    }
}
