package io.multistore.core.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.CorsRule;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.http.HttpExchange;
import io.multistore.core.internal.S3Gateway.Call;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cross-origin resource sharing as S3 does it. The rules are the bucket's own ({@code cors} in its configuration) or,
 * when it sets none, the gateway's default. A preflight ({@code OPTIONS}) is answered before authentication, since
 * browsers send it without credentials; every other response to a request with an {@code Origin} that a rule
 * allows — errors and 304s included — carries the {@code Access-Control-*} headers, so a page can read S3's error.
 * The first rule that allows the origin and method (and, for a preflight, every requested header) applies.
 */
final class Cors {

    /** What S3 sends on responses of a bucket with CORS rules: answers differ by these request headers. */
    static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private final List<CorsRule> defaults;

    /** @param defaults the rules of buckets that set none of their own (empty: no CORS for them) */
    Cors(List<CorsRule> defaults) {
        this.defaults = List.copyOf(defaults);
    }

    /** The rules in force for a bucket ({@code null}: the service, ListBuckets). */
    List<CorsRule> rules(BucketConfig bucket) {
        return bucket != null && bucket.cors() != null ? bucket.cors() : defaults;
    }

    /**
     * Answers a preflight, or adds the CORS headers to the response of any other request.
     *
     * @param named  the bucket the request names, or {@code null} for the service
     * @param bucket its configuration, or {@code null} when it is not known (absent, or the lookup failed)
     * @return whether the request was answered (a preflight)
     * @throws S3Exception the preflight's refusal: BadRequest, AccessForbidden
     */
    boolean handle(Call call, String named, BucketConfig bucket) throws IOException {
        HttpExchange ex = call.exchange;
        String origin = ex.header("Origin");
        if ("OPTIONS".equals(ex.method())) {
            call.route = "PreflightCorsRequest";
            preflight(call, origin, named != null && bucket == null ? null : rules(bucket));
            return true;
        }
        if (named != null && bucket == null) {
            return false; // the request fails later with NoSuchBucket (or 503), as without CORS
        }
        List<CorsRule> rules = rules(bucket);
        if (rules.isEmpty()) {
            return false;
        }
        ex.setHeader("Vary", VARY);
        if (origin != null) {
            CorsRule rule = match(rules, origin, ex.method(), List.of());
            if (rule != null) {
                allow(ex, rule, origin);
            }
        }
        return false;
    }

    private static void preflight(Call call, String origin, List<CorsRule> rules) {
        HttpExchange ex = call.exchange;
        if (origin == null || origin.isEmpty()) {
            throw new S3Exception(S3ErrorCode.BadRequest, "Insufficient information. Origin request header needed.");
        }
        String method = ex.header("Access-Control-Request-Method");
        if (method == null || !CorsRule.METHODS.contains(method)) {
            throw new S3Exception(S3ErrorCode.BadRequest, "Invalid Access-Control-Request-Method: " + method);
        }
        if (rules == null) {
            throw new S3Exception(S3ErrorCode.AccessForbidden, "CORSResponse: Bucket not found");
        }
        if (rules.isEmpty()) {
            throw new S3Exception(S3ErrorCode.AccessForbidden, "CORSResponse: CORS is not enabled for this bucket.");
        }
        List<String> requested = requestedHeaders(ex.headers("Access-Control-Request-Headers"));
        ex.setHeader("Vary", VARY);
        CorsRule rule = match(rules, origin, method, requested);
        if (rule == null) {
            throw new S3Exception(S3ErrorCode.AccessForbidden, "CORSResponse: This CORS request is not allowed. "
                    + "This is usually because the evaluation of Origin, request method / "
                    + "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the "
                    + "resource's CORS spec.");
        }
        allow(ex, rule, origin);
        if (!requested.isEmpty()) {
            ex.setHeader("Access-Control-Allow-Headers", String.join(", ", requested));
        }
        S3Operations.sendEmpty(call, 200);
    }

    private static void allow(HttpExchange ex, CorsRule rule, String origin) {
        boolean any = rule.allowedOrigins().contains("*");
        ex.setHeader("Access-Control-Allow-Origin", any ? "*" : origin);
        if (!any) {
            ex.setHeader("Access-Control-Allow-Credentials", "true");
        }
        ex.setHeader("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
        if (!rule.exposeHeaders().isEmpty()) {
            ex.setHeader("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
        }
        if (rule.maxAgeSeconds() >= 0) {
            ex.setHeader("Access-Control-Max-Age", Long.toString(rule.maxAgeSeconds()));
        }
    }

    /** {@code Access-Control-Request-Headers}: the names, lower case, in order. */
    static List<String> requestedHeaders(List<String> values) {
        List<String> names = new ArrayList<>();
        for (String value : values) {
            for (String name : value.split(",")) {
                String trimmed = name.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    names.add(trimmed);
                }
            }
        }
        return names;
    }

    /** The first rule allowing the origin, the method and every requested header, or {@code null}. */
    static CorsRule match(List<CorsRule> rules, String origin, String method, List<String> headers) {
        for (CorsRule rule : rules) {
            if (!rule.allowedMethods().contains(method)) {
                continue;
            }
            if (rule.allowedOrigins().stream().noneMatch(o -> wildcard(o, origin))) {
                continue;
            }
            boolean all = true;
            for (String header : headers) {
                if (rule.allowedHeaders().stream().noneMatch(h -> wildcard(h, header))) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return rule;
            }
        }
        return null;
    }

    /** A pattern with at most one {@code *} (any run of characters), compared case-insensitively. */
    static boolean wildcard(String pattern, String value) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String v = value.toLowerCase(Locale.ROOT);
        int star = p.indexOf('*');
        if (star < 0) {
            return p.equals(v);
        }
        String head = p.substring(0, star);
        String tail = p.substring(star + 1);
        return v.length() >= head.length() + tail.length() && v.startsWith(head) && v.endsWith(tail);
    }

    /** GetBucketCors: the rules in force as S3's CORSConfiguration document. */
    void getBucketCors(Call call) throws IOException {
        List<CorsRule> rules = rules(call.bucket);
        if (rules.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NoSuchCORSConfiguration,
                    S3ErrorCode.NoSuchCORSConfiguration.defaultMessage(), call.bucket.name(), null);
        }
        XmlWriter x = new XmlWriter().root("CORSConfiguration");
        for (CorsRule rule : rules) {
            x.start("CORSRule");
            x.element("ID", rule.id());
            rule.allowedHeaders().forEach(h -> x.element("AllowedHeader", h));
            rule.allowedMethods().forEach(m -> x.element("AllowedMethod", m));
            rule.allowedOrigins().forEach(o -> x.element("AllowedOrigin", o));
            rule.exposeHeaders().forEach(h -> x.element("ExposeHeader", h));
            if (rule.maxAgeSeconds() >= 0) {
                x.element("MaxAgeSeconds", rule.maxAgeSeconds());
            }
            x.end();
        }
        S3Operations.sendXml(call, 200, x.end().toBytes());
    }
}
