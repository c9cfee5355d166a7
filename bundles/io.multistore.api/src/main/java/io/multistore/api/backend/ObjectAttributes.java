package io.multistore.api.backend;

import java.util.Map;
import java.util.TreeMap;

/**
 * The headers S3 stores with an object. {@code userMetadata} keys are lower case, without {@code x-amz-meta-}.
 * Absent values are {@code null}.
 */
public record ObjectAttributes(String contentType, String contentEncoding, String contentDisposition,
        String contentLanguage, String cacheControl, String expires, Map<String, String> userMetadata) {

    public static final ObjectAttributes NONE = new ObjectAttributes(null, null, null, null, null, null, Map.of());

    public ObjectAttributes {
        userMetadata = userMetadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(userMetadata));
    }
}
