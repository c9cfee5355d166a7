package io.multistore.core.internal.auth;

import java.util.List;
import java.util.Map;

/**
 * What SigV4 needs to know about a request.
 *
 * @param method   the HTTP method, upper case
 * @param rawPath  the path exactly as sent, still percent-encoded
 * @param rawQuery the query string exactly as sent, or {@code null}
 * @param headers  lower-case header names to their values, in the order received
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    public SignedRequest {
        headers = headers == null ? Map.of() : headers;
    }

    /** The first value of a header, or {@code null}. */
    public String header(String lowerName) {
        List<String> values = headers.get(lowerName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
