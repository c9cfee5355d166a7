package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ObjectKeys;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.UploadInfo;
import io.multistore.api.backend.UploadListing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * ListObjects (V1 and V2) and ListMultipartUploads responses: backend keys are mapped back to client keys by
 * stripping {@code backend_prefix}, and continuation tokens are wrapped so clients only ever see an opaque token.
 */
final class Listings {

    static final int MAX_KEYS = 1000;

    private Listings() {
    }

    /** The owner shown in listings. */
    record Owner(String id, String displayName) {
    }

    /**
     * A ListObjects request in client terms.
     *
     * @param startAfter V2 {@code start-after} or V1 {@code marker}
     * @param token      V2 {@code continuation-token} as the client sent it
     */
    record Query(String prefix, String delimiter, String startAfter, String token, int maxKeys, boolean urlEncoding,
            boolean fetchOwner) {
        Query {
            prefix = prefix == null ? "" : prefix;
            delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
            startAfter = startAfter == null || startAfter.isEmpty() ? null : startAfter;
            token = token == null || token.isEmpty() ? null : token;
        }
    }

    /** A decoded continuation token: either the store's own token or the client key to continue after. */
    record Continuation(String storeToken, String afterKey) {
    }

    /** {@code max-keys} and friends: default 1000, clamped to 1000, 0 allowed. */
    static int maxKeys(String value, String name) {
        if (value == null || value.isEmpty()) {
            return MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.min(n, MAX_KEYS);
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Provided " + name + " not an integer or within "
                    + "integer range", name, null);
        }
    }

    /** {@code encoding-type}: absent or {@code url}. */
    static boolean urlEncoding(String value) {
        if (value == null) {
            return false;
        }
        if (value.equals("url")) {
            return true;
        }
        throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid Encoding Method specified in Request",
                "encoding-type", null);
    }

    static String encodeToken(String storeToken, String lastClientKey) {
        String raw = storeToken != null ? "T" + storeToken : "K" + lastClientKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Continuation decodeToken(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (raw.length() > 1 && raw.charAt(0) == 'T') {
                return new Continuation(raw.substring(1), null);
            }
            if (raw.length() > 1 && raw.charAt(0) == 'K') {
                return new Continuation(null, raw.substring(1));
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.InvalidArgument, "The continuation token provided is incorrect",
                "continuation-token", null);
    }

    /** Backend keys to client keys; anything outside the prefix (a misbehaving store) is dropped, never shown. */
    static List<String> strip(List<String> backendKeys, String backendPrefix) {
        List<String> out = new ArrayList<>(backendKeys.size());
        for (String k : backendKeys) {
            if (k.startsWith(backendPrefix)) {
                out.add(k.substring(backendPrefix.length()));
            }
        }
        return out;
    }

    private static List<ObjectSummary> stripObjects(List<ObjectSummary> objects, String backendPrefix) {
        List<ObjectSummary> out = new ArrayList<>(objects.size());
        for (ObjectSummary o : objects) {
            if (o.key().startsWith(backendPrefix)) {
                out.add(new ObjectSummary(o.key().substring(backendPrefix.length()), o.size(), o.etag(),
                        o.lastModified()));
            }
        }
        return out;
    }

    static byte[] listV2(String bucket, Query q, ListPage page, String backendPrefix, Owner owner) {
        List<ObjectSummary> objects = stripObjects(page.objects(), backendPrefix);
        List<String> prefixes = strip(page.commonPrefixes(), backendPrefix);
        XmlWriter x = new XmlWriter().root("ListBucketResult");
        x.element("Name", bucket);
        x.element("Prefix", enc(q.prefix(), q));
        x.element("Delimiter", enc(q.delimiter(), q));
        x.element("MaxKeys", q.maxKeys());
        if (q.urlEncoding()) {
            x.element("EncodingType", "url");
        }
        x.element("KeyCount", objects.size() + prefixes.size());
        x.element("IsTruncated", page.truncated());
        x.element("ContinuationToken", q.token());
        if (page.truncated()) {
            x.element("NextContinuationToken", encodeToken(page.nextContinuationToken(), last(objects, prefixes)));
        }
        x.element("StartAfter", enc(q.startAfter(), q));
        contents(x, objects, q, q.fetchOwner() ? owner : null);
        commonPrefixes(x, prefixes, q);
        return x.end().toBytes();
    }

    static byte[] listV1(String bucket, Query q, ListPage page, String backendPrefix, Owner owner) {
        List<ObjectSummary> objects = stripObjects(page.objects(), backendPrefix);
        List<String> prefixes = strip(page.commonPrefixes(), backendPrefix);
        XmlWriter x = new XmlWriter().root("ListBucketResult");
        x.element("Name", bucket);
        x.element("Prefix", enc(q.prefix(), q));
        x.elementOrEmpty("Marker", enc(q.startAfter(), q));
        x.element("MaxKeys", q.maxKeys());
        x.element("Delimiter", enc(q.delimiter(), q));
        if (q.urlEncoding()) {
            x.element("EncodingType", "url");
        }
        x.element("IsTruncated", page.truncated());
        if (page.truncated() && q.delimiter() != null) {
            x.element("NextMarker", enc(last(objects, prefixes), q));
        }
        contents(x, objects, q, owner);
        commonPrefixes(x, prefixes, q);
        return x.end().toBytes();
    }

    /** The greatest key or common prefix of a page: where the next page starts. */
    static String last(List<ObjectSummary> objects, List<String> prefixes) {
        String a = objects.isEmpty() ? null : objects.get(objects.size() - 1).key();
        String b = prefixes.isEmpty() ? null : prefixes.get(prefixes.size() - 1);
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return ObjectKeys.compareUtf8(a, b) >= 0 ? a : b;
    }

    private static void contents(XmlWriter x, List<ObjectSummary> objects, Query q, Owner owner) {
        for (ObjectSummary o : objects) {
            x.start("Contents");
            x.element("Key", enc(o.key(), q));
            x.element("LastModified", HttpDates.iso(o.lastModified()));
            x.element("ETag", o.etag());
            x.element("Size", o.size());
            if (owner != null) {
                owner(x, owner);
            }
            x.element("StorageClass", "STANDARD");
            x.end();
        }
    }

    private static void commonPrefixes(XmlWriter x, List<String> prefixes, Query q) {
        for (String p : prefixes) {
            x.start("CommonPrefixes").element("Prefix", enc(p, q)).end();
        }
    }

    static void owner(XmlWriter x, Owner owner) {
        x.start("Owner").element("ID", owner.id()).element("DisplayName", owner.displayName()).end();
    }

    private static String enc(String value, Query q) {
        return q.urlEncoding() ? Keys.urlEncode(value) : value;
    }

    /**
     * ListMultipartUploads.
     *
     * @param keyMarker as the client sent it
     */
    static byte[] uploads(String bucket, String prefix, String keyMarker, String uploadIdMarker, int maxUploads,
            boolean urlEncoding, UploadListing listing, String backendPrefix, Owner owner) {
        Query q = new Query(prefix, null, null, null, maxUploads, urlEncoding, false);
        XmlWriter x = new XmlWriter().root("ListMultipartUploadsResult");
        x.element("Bucket", bucket);
        x.elementOrEmpty("KeyMarker", enc(keyMarker, q));
        x.elementOrEmpty("UploadIdMarker", uploadIdMarker);
        if (listing.truncated()) {
            String next = listing.nextKeyMarker();
            x.element("NextKeyMarker", next == null || !next.startsWith(backendPrefix) ? null
                    : enc(next.substring(backendPrefix.length()), q));
            x.element("NextUploadIdMarker", listing.nextUploadIdMarker());
        }
        x.element("Prefix", enc(q.prefix(), q));
        if (urlEncoding) {
            x.element("EncodingType", "url");
        }
        x.element("MaxUploads", maxUploads);
        x.element("IsTruncated", listing.truncated());
        for (UploadInfo u : listing.uploads()) {
            if (!u.key().startsWith(backendPrefix)) {
                continue;
            }
            x.start("Upload");
            x.element("Key", enc(u.key().substring(backendPrefix.length()), q));
            x.element("UploadId", u.uploadId());
            x.start("Initiator").element("ID", owner.id()).element("DisplayName", owner.displayName()).end();
            owner(x, owner);
            x.element("StorageClass", "STANDARD");
            x.element("Initiated", HttpDates.iso(u.initiated()));
            x.end();
        }
        return x.end().toBytes();
    }
}
