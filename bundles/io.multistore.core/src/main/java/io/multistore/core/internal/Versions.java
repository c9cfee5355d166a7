package io.multistore.core.internal;

import io.multistore.api.Action;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.DeleteResult;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.ObjectVersion;
import io.multistore.api.backend.VersionListRequest;
import io.multistore.api.backend.VersionListing;
import io.multistore.api.http.HttpExchange;
import io.multistore.core.internal.S3Gateway.Call;
import io.multistore.core.internal.auth.Authorizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Object versions: {@code versionId} on object requests, ListObjectVersions, Get/PutBucketVersioning, delete
 * markers. A store with versions ({@link ObjectStore#supportsVersions()}) gets them passed through; on any other
 * store the gateway answers as S3 answers for a bucket that was never versioned: every object is the single version
 * {@code null}, which {@code versionId=null} addresses, and any other version id is invalid.
 */
final class Versions {

    /** S3's version id of objects written while versioning was never on. */
    static final String NULL_VERSION = "null";

    private Versions() {
    }

    /** The operation of an object request that names {@code versionId}, or {@code null} (NotImplemented). */
    static Operation match(String method, Set<String> sub) {
        Set<String> rest = new TreeSet<>(sub);
        rest.remove("versionId");
        boolean none = rest.isEmpty();
        boolean tagging = RequestParser.only(rest, "tagging");
        return switch (method) {
            case "GET" -> none ? Operation.GET_OBJECT : tagging ? Operation.GET_OBJECT_TAGGING : null;
            case "HEAD" -> none ? Operation.HEAD_OBJECT : null;
            case "DELETE" -> none ? Operation.DELETE_OBJECT : tagging ? Operation.DELETE_OBJECT_TAGGING : null;
            case "PUT" -> tagging ? Operation.PUT_OBJECT_TAGGING : null;
            default -> null;
        };
    }

    /**
     * The action an object request is authorized as: reading a named version (GET, HEAD, GetObjectTagging with
     * {@code versionId}) needs {@code get_object_version}, as S3 needs {@code s3:GetObjectVersion}.
     */
    static Action action(S3Request r) {
        Action action = r.operation().action();
        if (r.has("versionId") && (action == Action.GET_OBJECT || action == Action.HEAD_OBJECT)) {
            return Action.GET_OBJECT_VERSION;
        }
        return action;
    }

    /** The version the request names, for the store: {@code null} for the current one. */
    static String requested(Call call) {
        return requested(call, call.request.param("versionId"));
    }

    /**
     * A version id as the store should get it.
     *
     * @throws S3Exception InvalidArgument for an empty id, and on a store without versions for any id but
     *                     {@code null}
     */
    static String requested(Call call, String versionId) {
        return requested(call.store, versionId);
    }

    /** {@link #requested(Call, String)} for another store than the request's (a copy's source). */
    static String requested(ObjectStore store, String versionId) {
        if (versionId == null) {
            return null;
        }
        if (versionId.isEmpty()) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Version id cannot be the empty string",
                    "versionId", null);
        }
        if (store.supportsVersions()) {
            return versionId;
        }
        if (versionId.equals(NULL_VERSION)) {
            return null;
        }
        throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid version id specified", "versionId", null);
    }

    /** The {@code versionId} of an {@code x-amz-copy-source} query ({@code null} when it names none). */
    static String copySourceVersion(String rawQuery) {
        String versionId = RequestParser.parseQuery(rawQuery).getOrDefault("versionId", List.of()).stream()
                .findFirst().orElse(null);
        if (versionId == null) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The copy source may carry only a versionId",
                    "x-amz-copy-source", null);
        }
        return versionId;
    }

    static void versionHeader(HttpExchange ex, String versionId) {
        if (versionId != null) {
            ex.setHeader("x-amz-version-id", versionId);
        }
    }

    /** DeleteObject, with {@code versionId} where given: answers which version went and whether a marker did. */
    static void delete(Call call) {
        DeleteResult result = call.store.deleteVersion(call.backendKey(call.request.key()), requested(call));
        versionHeader(call.exchange, result.versionId());
        if (result.deleteMarker()) {
            call.exchange.setHeader("x-amz-delete-marker", "true");
        }
        S3Operations.sendEmpty(call, 204);
    }

    static void getVersioning(Call call) throws IOException {
        String status = call.store.supportsVersions() ? call.store.versioningStatus() : null;
        XmlWriter x = new XmlWriter().root("VersioningConfiguration");
        x.element("Status", status);
        S3Operations.sendXml(call, 200, x.end().toBytes());
    }

    static void putVersioning(Call call, XmlInput.Element doc) {
        if (!doc.name().equals("VersioningConfiguration")) {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
        String status = doc.childText("Status");
        if (status == null || !(status.equals("Enabled") || status.equals("Suspended"))) {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
        String mfa = doc.childText("MfaDelete");
        if (mfa != null && !mfa.equals("Disabled")) {
            throw new S3Exception(S3ErrorCode.NotImplemented, "MFA delete is not supported");
        }
        try {
            call.store.putVersioning(status);
        } catch (S3Exception e) {
            if (e.code() != S3ErrorCode.NotImplemented) {
                throw e;
            }
            throw new VisibleServerError(S3ErrorCode.NotImplemented, "Bucket '" + call.bucket.name() + "' is on a "
                    + "backend without object versions (backend_type " + call.bucket.backendType() + "): its "
                    + "versioning cannot be changed");
        }
        S3Operations.sendEmpty(call, 200);
    }

    /** ListObjectVersions. */
    static void list(Call call) throws IOException {
        S3Request r = call.request;
        String prefix = r.param("prefix") == null ? "" : r.param("prefix");
        String delimiter = r.param("delimiter") == null || r.param("delimiter").isEmpty() ? null
                : r.param("delimiter");
        int maxKeys = Listings.maxKeys(r.param("max-keys"), "max-keys");
        boolean url = Listings.urlEncoding(r.param("encoding-type"));
        String keyMarker = emptyToNull(r.param("key-marker"));
        String versionIdMarker = emptyToNull(r.param("version-id-marker"));
        if (versionIdMarker != null && keyMarker == null) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "A version-id marker cannot be specified without a "
                    + "key marker.", "version-id-marker", null);
        }
        String bp = call.bucket.backendPrefix();
        // under a scope 'p' (no slash) a listing of prefix 'p' shows 'p' and what is under 'p/' only
        String narrowed = Authorizer.listingNarrowing(call.identity(), call.bucket, Action.LIST_BUCKET, prefix);
        VersionListing listing;
        if (maxKeys == 0) {
            listing = new VersionListing(List.of(), List.of(), false, null, null);
        } else if (call.store.supportsVersions()) {
            // a narrowed listing shows the versions under 'p/' (the versions of the key 'p' itself are not listed)
            listing = call.store.listVersions(new VersionListRequest(bp + (narrowed == null ? prefix
                    : narrowed + "/"), delimiter, keyMarker == null ? null : bp + keyMarker, versionIdMarker,
                    maxKeys));
        } else {
            listing = unversioned(call.store, bp, prefix, narrowed, delimiter, keyMarker, versionIdMarker, maxKeys);
        }
        S3Operations.sendXml(call, 200, document(call, prefix, delimiter, keyMarker, versionIdMarker, maxKeys, url,
                listing, bp));
    }

    /** A never-versioned bucket's versions: each object once, version {@code null}, the latest. */
    private static VersionListing unversioned(ObjectStore store, String bp, String prefix, String narrowed,
            String delimiter, String keyMarker, String versionIdMarker, int maxKeys) {
        String startAfter = keyMarker;
        if (keyMarker != null && versionIdMarker != null && !versionIdMarker.equals(NULL_VERSION)) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid version id specified", "version-id-marker",
                    null);
        }
        ListPage page = narrowed != null
                ? S3Operations.narrowedPage(store, bp, narrowed, delimiter, startAfter, null, maxKeys)
                : store.list(new ListRequest(bp + prefix, delimiter, startAfter == null ? null : bp + startAfter,
                        null, maxKeys));
        List<ObjectVersion> versions = new ArrayList<>(page.objects().size());
        for (ObjectSummary o : page.objects()) {
            versions.add(new ObjectVersion(o.key(), NULL_VERSION, true, false, o.size(), o.etag(), o.lastModified()));
        }
        String next = page.truncated() ? Listings.last(page.objects(), page.commonPrefixes()) : null;
        return new VersionListing(versions, page.commonPrefixes(), page.truncated(), next,
                next == null || next.equals(Listings.last(List.of(), page.commonPrefixes())) ? null : NULL_VERSION);
    }

    private static byte[] document(Call call, String prefix, String delimiter, String keyMarker,
            String versionIdMarker, int maxKeys, boolean url, VersionListing listing, String bp) {
        Listings.Owner owner = S3Operations.owner(call.identity());
        XmlWriter x = new XmlWriter().root("ListVersionsResult");
        x.element("Name", call.bucket.name());
        x.element("Prefix", enc(prefix, url));
        x.elementOrEmpty("KeyMarker", enc(keyMarker, url));
        x.elementOrEmpty("VersionIdMarker", versionIdMarker);
        if (listing.truncated()) {
            String next = listing.nextKeyMarker();
            x.element("NextKeyMarker", next == null || !next.startsWith(bp) ? null
                    : enc(next.substring(bp.length()), url));
            x.element("NextVersionIdMarker", listing.nextVersionIdMarker());
        }
        x.element("MaxKeys", maxKeys);
        x.element("Delimiter", enc(delimiter, url));
        if (url) {
            x.element("EncodingType", "url");
        }
        x.element("IsTruncated", listing.truncated());
        for (ObjectVersion v : listing.versions()) {
            if (!v.key().startsWith(bp)) {
                continue; // a misbehaving store: never show what lies outside the bucket's prefix
            }
            x.start(v.deleteMarker() ? "DeleteMarker" : "Version");
            x.element("Key", enc(v.key().substring(bp.length()), url));
            x.element("VersionId", v.versionId());
            x.element("IsLatest", v.latest());
            x.element("LastModified", v.lastModified() == null ? null : HttpDates.iso(v.lastModified()));
            if (!v.deleteMarker()) {
                x.element("ETag", v.etag());
                x.element("Size", v.size());
                x.element("StorageClass", "STANDARD");
            }
            Listings.owner(x, owner);
            x.end();
        }
        for (String p : Listings.strip(listing.commonPrefixes(), bp)) {
            x.start("CommonPrefixes").element("Prefix", enc(p, url)).end();
        }
        return x.end().toBytes();
    }

    private static String enc(String value, boolean url) {
        return url && value != null ? Keys.urlEncode(value) : value;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
