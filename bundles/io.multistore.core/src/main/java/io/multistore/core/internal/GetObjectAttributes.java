package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.StoredChecksums;
import io.multistore.api.http.HttpExchange;
import io.multistore.core.internal.S3Gateway.Call;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * GetObjectAttributes ({@code GET /bucket/key?attributes}): the attributes named by {@code x-amz-object-attributes}
 * from what the store reports of the object. Authorized as {@code get_object}: the scopes have no separate action
 * for it, and what it reveals (size, ETag, checksums) is what a GET reveals.
 */
final class GetObjectAttributes {

    private static final Set<String> NAMES = Set.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");
    private static final int MAX_PARTS = 1000;

    private GetObjectAttributes() {
    }

    static void run(Call call) throws IOException {
        HttpExchange ex = call.exchange;
        Set<String> wanted = attributeNames(ex);
        int maxParts = intHeader(ex, "x-amz-max-parts", MAX_PARTS, 0, Integer.MAX_VALUE);
        maxParts = Math.min(maxParts, MAX_PARTS);
        int marker = intHeader(ex, "x-amz-part-number-marker", 0, 0, Integer.MAX_VALUE);
        ObjectMeta meta = call.store.head(call.backendKey(call.request.key()), Preconditions.NONE);
        StoredChecksums stored = meta.checksums();
        XmlWriter x = new XmlWriter().root("GetObjectAttributesResponse");
        if (wanted.contains("ETag") && meta.etag() != null) {
            x.element("ETag", unquote(meta.etag()));
        }
        ObjectChecksum checksum = stored.checksum();
        if (wanted.contains("Checksum") && checksum != null && checksum.value() != null) {
            x.start("Checksum");
            // the composite value without the "-N" that GET and HEAD append
            x.element(checksum.elementName(), stripPartCount(checksum.value()));
            x.element("ChecksumType", checksum.type());
            x.end();
        }
        if (wanted.contains("ObjectParts") && stored.partsCount() > 0) {
            objectParts(x, stored, marker, maxParts);
        }
        if (wanted.contains("StorageClass")) {
            x.element("StorageClass", "STANDARD");
        }
        if (wanted.contains("ObjectSize")) {
            x.element("ObjectSize", meta.size());
        }
        if (meta.lastModified() != null) {
            ex.setHeader("Last-Modified", HttpDates.format(meta.lastModified()));
        }
        S3Operations.sendXml(call, 200, x.end().toBytes());
    }

    private static void objectParts(XmlWriter x, StoredChecksums stored, int marker, int maxParts) {
        x.start("ObjectParts");
        x.element("PartsCount", stored.partsCount());
        // S3 lists the parts only of an object uploaded with checksums; otherwise just their count
        List<PartInfo> parts = stored.checksum() == null ? List.of() : stored.parts();
        if (!parts.isEmpty()) {
            int from = 0;
            while (from < parts.size() && parts.get(from).partNumber() <= marker) {
                from++;
            }
            int to = Math.min(parts.size(), from + maxParts);
            boolean truncated = to < parts.size();
            x.element("PartNumberMarker", marker);
            if (to > from) {
                x.element("NextPartNumberMarker", parts.get(to - 1).partNumber());
            }
            x.element("MaxParts", maxParts);
            x.element("IsTruncated", truncated);
            for (PartInfo part : parts.subList(from, to)) {
                x.start("Part");
                ChecksumSupport.elements(x, part.checksum(), false);
                x.element("PartNumber", part.partNumber()).element("Size", part.size());
                x.end();
            }
        }
        x.end();
    }

    /** The names in {@code x-amz-object-attributes} (one or several headers, comma-separated). */
    static Set<String> attributeNames(HttpExchange ex) {
        Set<String> names = new TreeSet<>();
        for (String value : ex.headers("x-amz-object-attributes")) {
            for (String name : value.split(",")) {
                String n = name.trim();
                if (n.isEmpty()) {
                    continue;
                }
                if (!NAMES.contains(n)) {
                    throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid attribute name specified.",
                            "x-amz-object-attributes", null);
                }
                names.add(n);
            }
        }
        if (names.isEmpty()) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The x-amz-object-attributes header specifying the "
                    + "attributes to be retrieved is either missing or empty", "x-amz-object-attributes", null);
        }
        return names;
    }

    private static int intHeader(HttpExchange ex, String name, int absent, int min, int max) {
        String value = ex.header(name);
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid " + name.toLowerCase(Locale.ROOT) + " value",
                name, null);
    }

    private static String stripPartCount(String value) {
        int dash = value.lastIndexOf('-');
        return dash > 0 ? value.substring(0, dash) : value;
    }

    private static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }
}
