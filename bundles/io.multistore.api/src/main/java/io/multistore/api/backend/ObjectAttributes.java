package io.multistore.api.backend;

import java.util.Map;
import java.util.TreeMap;

/**
 * The headers S3 stores with an object. {@code userMetadata} keys are lower case, without {@code x-amz-meta-}.
 * Absent values are {@code null}.
 *
 * @param tags the object's tags ({@code x-amz-tagging}), in order; {@code null} when not given: a write stores
 *             none, a copy keeps the source's. Only stores whose {@link ObjectStore#supportsTags()} is true get
 *             tags, and only those fill them in when reading.
 */
public record ObjectAttributes(String contentType, String contentEncoding, String contentDisposition,
        String contentLanguage, String cacheControl, String expires, Map<String, String> userMetadata,
        Map<String, String> tags) {

    public static final ObjectAttributes NONE = new ObjectAttributes(null, null, null, null, null, null, Map.of());

    public ObjectAttributes {
        userMetadata = userMetadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(userMetadata));
        tags = tags == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    /** Attributes without tags. */
    public ObjectAttributes(String contentType, String contentEncoding, String contentDisposition,
            String contentLanguage, String cacheControl, String expires, Map<String, String> userMetadata) {
        this(contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires, userMetadata,
                null);
    }

    /** These attributes with other tags ({@code null}: not given). */
    public ObjectAttributes withTags(Map<String, String> newTags) {
        return new ObjectAttributes(contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl,
                expires, userMetadata, newTags);
    }
}
