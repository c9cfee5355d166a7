package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.http.HttpExchange;
import io.multistore.core.internal.S3Gateway.Call;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Object tags: {@code x-amz-tagging} on writes, Get/Put/DeleteObjectTagging, validated as S3 validates them (at
 * most 10 tags, keys of 1 to 128 characters, values of at most 256, S3's character set, no key twice). The store
 * keeps them; a store
 * that cannot ({@link io.multistore.api.backend.ObjectStore#supportsTags()}) refuses them with NotImplemented
 * instead of dropping them.
 */
final class Tagging {

    static final int MAX_TAGS = 10;
    static final int MAX_KEY_LENGTH = 128;
    static final int MAX_VALUE_LENGTH = 256;
    /** What S3 allows in tag keys and values: letters, numbers, white space and {@code _ . : / = + - @}. */
    private static final java.util.regex.Pattern ALLOWED = java.util.regex.Pattern.compile(
            "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private Tagging() {
    }

    /** Write attributes with the tags of {@code x-amz-tagging}, if the request has that header. */
    static ObjectAttributes fromHeader(Call call, ObjectAttributes attributes) {
        String header = call.exchange.header("x-amz-tagging");
        if (header == null) {
            return attributes;
        }
        Map<String, String> tags = parseHeader(header);
        requireSupport(call);
        return attributes.withTags(tags);
    }

    /**
     * CopyObject's {@code x-amz-tagging-directive}: {@code COPY} (the default) keeps the source's tags,
     * {@code REPLACE} sets those of {@code x-amz-tagging}.
     *
     * @param attributes the copy's attributes ({@code null}: the source's)
     * @return the attributes to copy with
     */
    static ObjectAttributes forCopy(Call call, ObjectAttributes attributes) {
        HttpExchange ex = call.exchange;
        String directive = ex.header("x-amz-tagging-directive");
        if (directive == null || directive.equalsIgnoreCase("COPY")) {
            return attributes == null ? null : attributes.withTags(null);
        }
        if (!directive.equalsIgnoreCase("REPLACE")) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Unknown tagging directive.",
                    "x-amz-tagging-directive", null);
        }
        String header = ex.header("x-amz-tagging");
        Map<String, String> tags = header == null ? Map.of() : parseHeader(header);
        requireSupport(call);
        ObjectAttributes base = attributes;
        if (base == null) {
            // the metadata is copied, the tags are not: the source's attributes with the new tags
            base = call.store.headVersion(call.backendKey(call.copySourceKey),
                    Versions.requested(call, call.copySourceVersionId),
                    io.multistore.api.backend.Preconditions.NONE).attributes();
        }
        return base.withTags(tags);
    }

    static void get(Call call) throws IOException {
        Map<String, String> tags = call.store.getTags(call.backendKey(call.request.key()), Versions.requested(call));
        Versions.versionHeader(call.exchange, call.request.param("versionId"));
        XmlWriter x = new XmlWriter().root("Tagging").start("TagSet");
        tags.forEach((k, v) -> x.start("Tag").element("Key", k).elementOrEmpty("Value", v).end());
        S3Operations.sendXml(call, 200, x.end().end().toBytes());
    }

    static void put(Call call, XmlInput.Element doc) {
        Map<String, String> tags = parseDocument(doc);
        String version = call.store.putTags(call.backendKey(call.request.key()), Versions.requested(call), tags);
        // some stores do not say which version they tagged: the one the request named
        Versions.versionHeader(call.exchange, version != null || !call.store.supportsVersions() ? version
                : call.request.param("versionId"));
        S3Operations.sendEmpty(call, 200);
    }

    static void delete(Call call) {
        String version = call.store.putTags(call.backendKey(call.request.key()), Versions.requested(call),
                Map.of());
        Versions.versionHeader(call.exchange, version);
        S3Operations.sendEmpty(call, 204);
    }

    static void requireSupport(Call call) {
        if (!call.store.supportsTags()) {
            throw new VisibleServerError(S3ErrorCode.NotImplemented, "Bucket '" + call.bucket.name() + "' is on a "
                    + "backend that does not keep object tags (backend_type " + call.bucket.backendType() + ")");
        }
    }

    /** {@code x-amz-tagging}: tags in URL query form, {@code k1=v1&k2=v2}. */
    static Map<String, String> parseHeader(String header) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (header.isEmpty()) {
            return tags;
        }
        for (String pair : header.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            add(tags, key, value);
        }
        return tags;
    }

    /** A {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>} body. */
    static Map<String, String> parseDocument(XmlInput.Element doc) {
        XmlInput.Element set = doc.name().equals("Tagging") ? doc.child("TagSet") : null;
        if (set == null) {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (XmlInput.Element tag : set.all("Tag")) {
            String key = tag.childRawText("Key");
            String value = tag.childRawText("Value");
            if (key == null || value == null) {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }
            add(tags, key, value);
        }
        return tags;
    }

    private static void add(Map<String, String> tags, String key, String value) {
        if (key.isEmpty() || key.codePointCount(0, key.length()) > MAX_KEY_LENGTH || !ALLOWED.matcher(key).matches()) {
            throw new S3Exception(S3ErrorCode.InvalidTag, "The TagKey you have provided is invalid");
        }
        if (value.codePointCount(0, value.length()) > MAX_VALUE_LENGTH || !ALLOWED.matcher(value).matches()) {
            throw new S3Exception(S3ErrorCode.InvalidTag, "The TagValue you have provided is invalid");
        }
        if (tags.putIfAbsent(key, value) != null) {
            throw new S3Exception(S3ErrorCode.InvalidTag, "Cannot provide multiple Tags with the same key");
        }
        if (tags.size() > MAX_TAGS) {
            throw new S3Exception(S3ErrorCode.InvalidTag, "Object tags cannot be greater than 10");
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The header 'x-amz-tagging' shall be encoded as "
                    + "UTF-8 then URLEncoded URL query parameters without tag name duplicates.", "x-amz-tagging",
                    null);
        }
    }
}
