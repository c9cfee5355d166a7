package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns method, path, query and Host into an {@link S3Request}. Every operation is recognised explicitly: a query
 * parameter that is neither a sub-resource of a served operation nor on the list of harmless parameters makes the
 * request NotImplemented, so an unknown sub-resource ({@code ?acl}, {@code ?tagging}, ...) can never fall through
 * to a plain object operation.
 */
final class RequestParser {

    /** Parameters that only tune a served operation. */
    private static final Set<String> HARMLESS = Set.of(
            "response-content-type", "response-content-language", "response-expires", "response-cache-control",
            "response-content-disposition", "response-content-encoding",
            "prefix", "delimiter", "marker", "max-keys", "list-type", "continuation-token", "start-after",
            "fetch-owner", "encoding-type", "key-marker", "upload-id-marker", "max-uploads", "max-parts",
            "part-number-marker",
            // added by some SDKs to name the operation in the URL
            "x-id");

    /** Presigned-URL parameters; clients spell them in any case. */
    private static final Set<String> PRESIGN = Set.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token", "x-amz-user-agent",
            "x-amz-content-sha256");

    private final String domain;

    /** @param domain the virtual-host domain, lower case, or empty for path style only */
    RequestParser(String domain) {
        this.domain = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
    }

    /**
     * @param copySource whether the request carries {@code x-amz-copy-source}
     * @throws S3Exception InvalidArgument, KeyTooLongError, NotImplemented
     */
    S3Request parse(String method, String rawPath, String rawQuery, String host, boolean copySource) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (path.charAt(0) != '/') {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "The request path must start with '/'.");
        }
        String bucket = virtualHostBucket(host);
        String rawKey;
        if (bucket == null) {
            int slash = path.indexOf('/', 1);
            String rawBucket = slash < 0 ? path.substring(1) : path.substring(1, slash);
            bucket = rawBucket.isEmpty() ? null : Keys.percentDecode(rawBucket);
            rawKey = slash < 0 ? "" : path.substring(slash + 1);
        } else {
            rawKey = path.substring(1);
        }
        String key = null;
        if (bucket != null && !rawKey.isEmpty()) {
            key = Keys.validateKey(Keys.percentDecode(rawKey));
        }
        Map<String, List<String>> query = parseQuery(rawQuery);
        Operation operation = operation(method, bucket, key, subResources(query), copySource);
        if (operation == Operation.LIST_OBJECTS_V1 && query.containsKey("list-type")) {
            String listType = query.get("list-type").get(0);
            if ("2".equals(listType)) {
                operation = Operation.LIST_OBJECTS_V2;
            } else if (!"1".equals(listType)) {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid list-type: " + listType);
            }
        }
        return new S3Request(method, bucket, key, query, operation);
    }

    /** The bucket named by a {@code bucket.<domain>} Host header, or {@code null} for path style. */
    String virtualHostBucket(String host) {
        if (domain.isEmpty() || host == null) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return null; // an IPv6 literal is never a virtual host
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.length() > domain.length() + 1 && h.endsWith(domain) && h.charAt(h.length() - domain.length() - 1) == '.') {
            return h.substring(0, h.length() - domain.length() - 1);
        }
        return null;
    }

    /** Splits a raw query into decoded names and values; {@code %XX} is decoded, {@code +} stays a plus. */
    static Map<String, List<String>> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = Keys.percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : Keys.percentDecode(pair.substring(eq + 1));
            query.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        query.replaceAll((n, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(query);
    }

    /** The parameters that select an operation: everything not harmless. */
    static Set<String> subResources(Map<String, List<String>> query) {
        Set<String> result = new TreeSet<>();
        for (String name : query.keySet()) {
            if (!HARMLESS.contains(name) && !PRESIGN.contains(name.toLowerCase(Locale.ROOT))) {
                result.add(name);
            }
        }
        return result;
    }

    private static Operation operation(String method, String bucket, String key, Set<String> sub,
            boolean copySource) {
        Operation op = match(method, bucket, key, sub, copySource);
        if (op == null) {
            throw new S3Exception(S3ErrorCode.NotImplemented, "Not implemented: " + method + " on "
                    + (bucket == null ? "service" : key == null ? "bucket" : "object")
                    + (sub.isEmpty() ? "" : " with " + sub));
        }
        return op;
    }

    private static Operation match(String method, String bucket, String key, Set<String> sub, boolean copySource) {
        boolean none = sub.isEmpty();
        if (bucket == null) {
            return "GET".equals(method) && none ? Operation.LIST_BUCKETS : null;
        }
        if (key == null) {
            return switch (method) {
                case "GET" -> none ? Operation.LIST_OBJECTS_V1
                        : only(sub, "location") ? Operation.GET_BUCKET_LOCATION
                        : only(sub, "uploads") ? Operation.LIST_MULTIPART_UPLOADS : null;
                case "HEAD" -> none ? Operation.HEAD_BUCKET : null;
                // buckets are the operator's configuration: these create or remove a configured bucket's backend
                case "PUT" -> none ? Operation.CREATE_BUCKET : null;
                case "DELETE" -> none ? Operation.DELETE_BUCKET : null;
                case "POST" -> only(sub, "delete") ? Operation.DELETE_OBJECTS : null;
                default -> null;
            };
        }
        return switch (method) {
            case "GET" -> none || only(sub, "partNumber") ? Operation.GET_OBJECT
                    : only(sub, "uploadId") ? Operation.LIST_PARTS
                    : only(sub, "attributes") ? Operation.GET_OBJECT_ATTRIBUTES : null;
            case "HEAD" -> none || only(sub, "partNumber") ? Operation.HEAD_OBJECT : null;
            case "PUT" -> {
                if (none) {
                    yield copySource ? Operation.COPY_OBJECT : Operation.PUT_OBJECT;
                }
                // UploadPartCopy is not served
                yield !copySource && sub.size() == 2 && sub.contains("uploadId") && sub.contains("partNumber")
                        ? Operation.UPLOAD_PART : null;
            }
            case "DELETE" -> none ? Operation.DELETE_OBJECT
                    : only(sub, "uploadId") ? Operation.ABORT_MULTIPART_UPLOAD : null;
            case "POST" -> only(sub, "uploads") ? Operation.CREATE_MULTIPART_UPLOAD
                    : only(sub, "uploadId") ? Operation.COMPLETE_MULTIPART_UPLOAD : null;
            default -> null;
        };
    }

    private static boolean only(Set<String> sub, String name) {
        return sub.size() == 1 && sub.contains(name);
    }
}
