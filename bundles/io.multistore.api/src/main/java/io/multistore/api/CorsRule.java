package io.multistore.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One CORS rule of a bucket, as S3's {@code CORSRule}: which origins may call with which methods and request
 * headers, which response headers their scripts may read, and how long a browser may cache a preflight answer.
 * <p>
 * The compact constructor enforces S3's rules, so an invalid rule can never reach the gateway: at least one origin and
 * one method; methods among {@code GET PUT POST DELETE HEAD} (stored upper case); at most one {@code *} in each
 * origin and each allowed header; no {@code *} in an expose header; a max age that is not negative.
 *
 * @param allowedOrigins origins such as {@code https://app.example.com}, {@code https://*.example.com} or {@code *}
 * @param allowedMethods HTTP methods
 * @param allowedHeaders request headers a preflight may ask for ({@code *} patterns, case-insensitive)
 * @param exposeHeaders  response headers scripts may read ({@code ETag}, {@code x-amz-request-id})
 * @param maxAgeSeconds  how long a preflight answer may be cached, or -1 for no {@code Access-Control-Max-Age}
 * @param id             the rule's name, or {@code null}
 */
public record CorsRule(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
        List<String> exposeHeaders, long maxAgeSeconds, String id) {

    /** The methods a CORS rule may allow, as S3 has them. */
    public static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");

    /** @throws IllegalArgumentException when the rule breaks one of S3's rules; the message says which */
    public CorsRule {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
        exposeHeaders = exposeHeaders == null ? List.of() : List.copyOf(exposeHeaders);
        if (allowedOrigins.isEmpty()) {
            throw new IllegalArgumentException("allowed_origins must name at least one origin");
        }
        for (String origin : allowedOrigins) {
            if (origin.isBlank() || wildcards(origin) > 1) {
                throw new IllegalArgumentException("allowed_origins: \"" + origin + "\" must not be empty and may "
                        + "contain at most one '*'");
            }
        }
        List<String> methods = new ArrayList<>();
        for (String method : allowedMethods == null ? List.<String>of() : allowedMethods) {
            String upper = method.trim().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(upper)) {
                throw new IllegalArgumentException("allowed_methods: \"" + method + "\" is not one of GET, PUT, "
                        + "POST, DELETE, HEAD");
            }
            if (!methods.contains(upper)) {
                methods.add(upper);
            }
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("allowed_methods must name at least one method");
        }
        allowedMethods = List.copyOf(methods);
        for (String header : allowedHeaders) {
            if (header.isBlank() || wildcards(header) > 1) {
                throw new IllegalArgumentException("allowed_headers: \"" + header + "\" must not be empty and may "
                        + "contain at most one '*'");
            }
        }
        for (String header : exposeHeaders) {
            if (header.isBlank() || header.contains("*")) {
                throw new IllegalArgumentException("expose_headers: \"" + header + "\" must be a header name "
                        + "(no '*')");
            }
        }
        if (maxAgeSeconds < -1) {
            throw new IllegalArgumentException("max_age_seconds must not be negative");
        }
    }

    private static int wildcards(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '*') {
                n++;
            }
        }
        return n;
    }
}
