package io.multistore.core.internal;

import java.util.List;
import java.util.Map;

/**
 * A parsed S3 request.
 *
 * @param bucket the virtual bucket, or {@code null} for the service (ListBuckets)
 * @param key    the decoded object key, or {@code null} for bucket operations
 * @param query  decoded query parameters in order, each with all its values
 */
record S3Request(String method, String bucket, String key, Map<String, List<String>> query, Operation operation) {

    /** The first value of a query parameter, or {@code null}. */
    String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    boolean has(String name) {
        return query.containsKey(name);
    }
}
