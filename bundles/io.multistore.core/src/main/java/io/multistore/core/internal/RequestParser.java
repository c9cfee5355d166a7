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
 * parameter that names an S3 sub-resource selects the operation, and a sub-resource the gateway does not serve makes
 * the request NotImplemented, so {@code ?policy} or {@code ?lifecycle} can never fall through to a plain object or
 * bucket operation. Any other parameter is ignored, as S3 ignores it ({@code ?v=123} cache-busting is a plain GET).
 */
final class RequestParser {

    /**
     * The sub-resources of S3's API (the query parameters that name what a request acts on, served or not). The
     * {@code response-*} overrides, listing parameters, presign parameters of both signature versions and anything
     * unknown only tune a request or are ignored.
     */
    static final Set<String> SUB_RESOURCES = Set.of(
            "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption",
            "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "location", "logging",
            "metadataConfiguration", "metadataTable", "metrics", "notification", "object-lock",
            "ownershipControls", "partNumber", "policy", "policyStatus", "publicAccessBlock", "renameObject",
            "replication", "requestPayment", "restore", "retention", "select", "select-type", "session", "tagging",
            "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website");

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

    /**
     * The bucket a request names (by Host or by the first path segment), or {@code null} for the service; nothing
     * else of the request is checked, so this works on requests {@link #parse} would refuse.
     */
    String bucketName(String rawPath, String host) {
        String bucket = virtualHostBucket(host);
        if (bucket != null || rawPath == null || !rawPath.startsWith("/")) {
            return bucket;
        }
        int slash = rawPath.indexOf('/', 1);
        String raw = slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash);
        return raw.isEmpty() ? null : Keys.percentDecode(raw);
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

    /** The parameters that select an operation: the S3 sub-resources among them. */
    static Set<String> subResources(Map<String, List<String>> query) {
        Set<String> result = new TreeSet<>();
        for (String name : query.keySet()) {
            if (SUB_RESOURCES.contains(name)) {
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
        if (key != null && sub.contains("versionId")) {
            return Versions.match(method, sub);
        }
        boolean none = sub.isEmpty();
        if (bucket == null) {
            return "GET".equals(method) && none ? Operation.LIST_BUCKETS : null;
        }
        if (key == null) {
            if (only(sub, "cors") && ("PUT".equals(method) || "DELETE".equals(method))) {
                throw new S3Exception(S3ErrorCode.NotImplemented, "A bucket's CORS rules are set by the operator in "
                        + "its configuration (cors); GetBucketCors shows them.");
            }
            return switch (method) {
                case "GET" -> none ? Operation.LIST_OBJECTS_V1
                        : only(sub, "location") ? Operation.GET_BUCKET_LOCATION
                        : only(sub, "cors") ? Operation.GET_BUCKET_CORS
                        : only(sub, "acl") ? Operation.GET_BUCKET_ACL
                        : only(sub, "uploads") ? Operation.LIST_MULTIPART_UPLOADS
                        : only(sub, "versions") ? Operation.LIST_OBJECT_VERSIONS
                        : only(sub, "versioning") ? Operation.GET_BUCKET_VERSIONING : null;
                case "HEAD" -> none ? Operation.HEAD_BUCKET : null;
                // buckets are the operator's configuration: these create or remove a configured bucket's backend
                case "PUT" -> none ? Operation.CREATE_BUCKET : only(sub, "acl") ? Operation.PUT_BUCKET_ACL
                        : only(sub, "versioning") ? Operation.PUT_BUCKET_VERSIONING : null;
                case "DELETE" -> none ? Operation.DELETE_BUCKET : null;
                case "POST" -> none ? Operation.POST_OBJECT : only(sub, "delete") ? Operation.DELETE_OBJECTS : null;
                default -> null;
            };
        }
        return switch (method) {
            case "GET" -> none || only(sub, "partNumber") ? Operation.GET_OBJECT
                    : only(sub, "uploadId") ? Operation.LIST_PARTS
                    : only(sub, "attributes") ? Operation.GET_OBJECT_ATTRIBUTES
                    : only(sub, "acl") ? Operation.GET_OBJECT_ACL
                    : only(sub, "tagging") ? Operation.GET_OBJECT_TAGGING : null;
            case "HEAD" -> none || only(sub, "partNumber") ? Operation.HEAD_OBJECT : null;
            case "PUT" -> {
                if (none) {
                    yield copySource ? Operation.COPY_OBJECT : Operation.PUT_OBJECT;
                }
                if (only(sub, "acl")) {
                    yield Operation.PUT_OBJECT_ACL;
                }
                if (only(sub, "tagging")) {
                    yield copySource ? null : Operation.PUT_OBJECT_TAGGING;
                }
                yield sub.size() == 2 && sub.contains("uploadId") && sub.contains("partNumber")
                        ? copySource ? Operation.UPLOAD_PART_COPY : Operation.UPLOAD_PART : null;
            }
            case "DELETE" -> none ? Operation.DELETE_OBJECT
                    : only(sub, "uploadId") ? Operation.ABORT_MULTIPART_UPLOAD
                    : only(sub, "tagging") ? Operation.DELETE_OBJECT_TAGGING : null;
            case "POST" -> only(sub, "uploads") ? Operation.CREATE_MULTIPART_UPLOAD
                    : only(sub, "uploadId") ? Operation.COMPLETE_MULTIPART_UPLOAD : null;
            default -> null;
        };
    }

    static boolean only(Set<String> sub, String name) {
        return sub.size() == 1 && sub.contains(name);
    }
}
