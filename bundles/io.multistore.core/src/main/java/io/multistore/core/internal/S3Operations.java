package io.multistore.core.internal;

import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ContentRange;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectKeys;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.PartListing;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.UploadListing;
import io.multistore.api.http.HttpExchange;
import io.multistore.core.internal.S3Gateway.Call;
import io.multistore.core.internal.auth.Authorizer;
import io.multistore.core.internal.auth.Checksums;
import io.multistore.core.internal.auth.PayloadException;
import io.multistore.core.internal.auth.PayloadVerifier;
import io.multistore.core.internal.auth.VerifiedBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The S3 operations, run against the bucket's store once the request is authenticated. */
final class S3Operations {

    private static final Logger LOG = LoggerFactory.getLogger(S3Operations.class);

    /** S3's default when an object has no Content-Type. */
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_DELETE_KEYS = 1000;
    private static final int MAX_PART_NUMBER = 10000;

    /** {@code response-*} query overrides of GetObject and the headers they set. */
    private static final Map<String, String> RESPONSE_OVERRIDES = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");

    private final GatewaySettings settings;
    private final XmlInput xml;

    S3Operations(GatewaySettings settings, XmlInput xml) {
        this.settings = settings;
        this.xml = xml;
    }

    /** Runs an operation that {@link S3Gateway#authorize} has allowed. */
    void run(Call call) throws IOException {
        Operation op = call.request.operation();
        switch (op) {
            case HEAD_BUCKET -> {
                BucketListing.checkExists(call);
                sendEmpty(call, 200);
            }
            case CREATE_BUCKET -> {
                call.store.createBucket();
                call.exchange.setHeader("Location", "/" + call.bucket.name());
                sendEmpty(call, 200);
            }
            case DELETE_BUCKET -> {
                BucketListing.checkDeletable(call.bucket);
                call.store.deleteBucket();
                sendEmpty(call, 204);
            }
            case GET_BUCKET_LOCATION -> getBucketLocation(call);
            case LIST_OBJECTS_V1, LIST_OBJECTS_V2 -> listObjects(call, op == Operation.LIST_OBJECTS_V2);
            case LIST_MULTIPART_UPLOADS -> listUploads(call);
            case DELETE_OBJECTS -> deleteObjects(call);
            case GET_OBJECT -> getObject(call);
            case HEAD_OBJECT -> headObject(call);
            case PUT_OBJECT -> putObject(call);
            case COPY_OBJECT -> copyObject(call);
            case DELETE_OBJECT -> Versions.delete(call);
            case CREATE_MULTIPART_UPLOAD -> createUpload(call);
            case UPLOAD_PART -> uploadPart(call);
            case UPLOAD_PART_COPY -> Copies.uploadPartCopy(call);
            case COMPLETE_MULTIPART_UPLOAD -> completeUpload(call);
            case ABORT_MULTIPART_UPLOAD -> {
                call.store.abortMultipartUpload(call.backendKey(call.request.key()), uploadId(call));
                sendEmpty(call, 204);
            }
            case LIST_PARTS -> listParts(call);
            case POST_OBJECT -> call.post.upload(call, settings.maxObjectSize());
            case GET_BUCKET_CORS -> call.cors.getBucketCors(call);
            case GET_BUCKET_ACL, GET_OBJECT_ACL -> Acls.get(call);
            case PUT_BUCKET_ACL, PUT_OBJECT_ACL -> Acls.put(call, call.exchange.requestLength() <= 0
                    && call.exchange.header("Transfer-Encoding") == null ? null : readXml(call));
            case LIST_OBJECT_VERSIONS -> Versions.list(call);
            case GET_BUCKET_VERSIONING -> Versions.getVersioning(call);
            case PUT_BUCKET_VERSIONING -> Versions.putVersioning(call, readXml(call));
            case GET_OBJECT_TAGGING -> Tagging.get(call);
            case PUT_OBJECT_TAGGING -> Tagging.put(call, readXml(call));
            case DELETE_OBJECT_TAGGING -> Tagging.delete(call);
            case GET_OBJECT_ATTRIBUTES -> GetObjectAttributes.run(call);
            case LIST_BUCKETS -> throw new IllegalStateException("ListBuckets has no bucket");
            default -> throw new S3Exception(S3ErrorCode.NotImplemented);
        }
    }

    // ---------------------------------------------------------------- service and bucket

    private void getBucketLocation(Call call) throws IOException {
        XmlWriter x = new XmlWriter().root("LocationConstraint");
        x.text(call.bucket.option("region").orElse(""));
        sendXml(call, 200, x.end().toBytes());
    }

    private void listObjects(Call call, boolean v2) throws IOException {
        S3Request r = call.request;
        String prefix = r.param("prefix");
        int maxKeys = Listings.maxKeys(r.param("max-keys"), "max-keys");
        boolean url = Listings.urlEncoding(r.param("encoding-type"));
        String bp = call.bucket.backendPrefix();
        Listings.Query q;
        String startAfter;
        String storeToken = null;
        if (v2) {
            q = new Listings.Query(prefix, r.param("delimiter"), r.param("start-after"),
                    r.param("continuation-token"), maxKeys, url, "true".equalsIgnoreCase(r.param("fetch-owner")));
            startAfter = q.startAfter();
            if (q.token() != null) {
                Listings.Continuation c = Listings.decodeToken(q.token());
                storeToken = c.storeToken();
                if (c.afterKey() != null) {
                    startAfter = c.afterKey();
                }
            }
        } else {
            q = new Listings.Query(prefix, r.param("delimiter"), r.param("marker"), null, maxKeys, url, false);
            startAfter = q.startAfter();
        }
        String narrowed = Authorizer.listingNarrowing(call.identity(), call.bucket, Action.LIST_BUCKET, q.prefix());
        ListPage page;
        if (maxKeys == 0) {
            page = new ListPage(List.of(), List.of(), false, null);
        } else if (narrowed != null) {
            page = narrowedPage(call.store, bp, narrowed, q.delimiter(), startAfter, storeToken, maxKeys);
        } else {
            page = call.store.list(new ListRequest(bp + q.prefix(), q.delimiter(),
                    startAfter == null ? null : bp + startAfter, storeToken, maxKeys));
        }
        Listings.Owner owner = owner(call.identity());
        sendXml(call, 200, v2 ? Listings.listV2(call.bucket.name(), q, page, bp, owner)
                : Listings.listV1(call.bucket.name(), q, page, bp, owner));
    }

    /**
     * A listing of prefix {@code p} for a caller whose scope is {@code p} (no trailing slash): the key {@code p}
     * itself and the keys under {@code p/}, listed so that nothing else is ever read, counted or named in a token.
     * In UTF-8 order {@code p} comes first, then siblings such as {@code p-x} (hidden), then the {@code p/} subtree.
     *
     * @param startAfter client key to continue after, or {@code null}
     */
    static ListPage narrowedPage(ObjectStore store, String bp, String p, String delimiter, String startAfter,
            String storeToken, int maxKeys) {
        String subtree = p + "/";
        List<ObjectSummary> objects = new ArrayList<>(1);
        if (storeToken == null && (startAfter == null || ObjectKeys.compareUtf8(startAfter, p) < 0)) {
            ObjectMeta exact = store.headOrNull(bp + p);
            if (exact != null) {
                objects.add(new ObjectSummary(bp + p, exact.size(), exact.etag(), exact.lastModified()));
            }
        }
        int room = maxKeys - objects.size();
        boolean beforeSubtree = startAfter == null || ObjectKeys.compareUtf8(startAfter, subtree) < 0;
        if (delimiter != null && delimiter.startsWith("/")) {
            // every key under p/ rolls up into the one common prefix p/ (a longer delimiter is not served here)
            if (!delimiter.equals("/")) {
                throw new S3Exception(S3ErrorCode.NotImplemented, "A delimiter beginning with '/' other than '/' "
                        + "on a listing whose prefix is the caller's scope prefix");
            }
            boolean any = beforeSubtree && storeToken == null && anyUnder(store, bp + subtree);
            if (!any) {
                return new ListPage(objects, List.of(), false, null);
            }
            return room > 0 ? new ListPage(objects, List.of(bp + subtree), false, null)
                    : new ListPage(objects, List.of(), true, null);
        }
        if (room == 0) {
            return new ListPage(objects, List.of(), anyUnder(store, bp + subtree), null);
        }
        ListPage sub = store.list(new ListRequest(bp + subtree, delimiter,
                beforeSubtree ? null : bp + startAfter, storeToken, room));
        if (objects.isEmpty()) {
            return sub;
        }
        List<ObjectSummary> all = new ArrayList<>(objects);
        all.addAll(sub.objects());
        return new ListPage(all, sub.commonPrefixes(), sub.truncated(), sub.nextContinuationToken());
    }

    private static boolean anyUnder(ObjectStore store, String prefix) {
        return !store.list(new ListRequest(prefix, null, null, null, 1)).objects().isEmpty();
    }

    private void listUploads(Call call) throws IOException {
        S3Request r = call.request;
        if (r.param("delimiter") != null && !r.param("delimiter").isEmpty()) {
            throw new S3Exception(S3ErrorCode.NotImplemented, "ListMultipartUploads with a delimiter");
        }
        String prefix = r.param("prefix") == null ? "" : r.param("prefix");
        int max = Listings.maxKeys(r.param("max-uploads"), "max-uploads");
        boolean url = Listings.urlEncoding(r.param("encoding-type"));
        String keyMarker = emptyToNull(r.param("key-marker"));
        String uploadIdMarker = emptyToNull(r.param("upload-id-marker"));
        String bp = call.bucket.backendPrefix();
        // under a scope 'p' (no slash) a listing of 'p' shows the uploads under 'p/' only (see narrowedPage)
        String narrowed = Authorizer.listingNarrowing(call.identity(), call.bucket, Action.LIST_MULTIPART_UPLOADS,
                prefix);
        UploadListing listing = max == 0 ? new UploadListing(List.of(), false, null, null)
                : call.store.listMultipartUploads(bp + (narrowed == null ? prefix : narrowed + "/"), keyMarker == null ? null : bp + keyMarker,
                        uploadIdMarker, max);
        sendXml(call, 200, Listings.uploads(call.bucket.name(), prefix, keyMarker, uploadIdMarker, max, url,
                listing, bp, owner(call.identity())));
    }

    private void deleteObjects(Call call) throws IOException {
        XmlInput.Element doc = readXml(call);
        if (!doc.name().equals("Delete")) {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
        boolean quiet = "true".equalsIgnoreCase(doc.childText("Quiet"));
        List<XmlInput.Element> objects = doc.all("Object");
        if (objects.isEmpty() || objects.size() > MAX_DELETE_KEYS) {
            throw new S3Exception(S3ErrorCode.MalformedXML, "A Delete request names 1 to 1000 objects");
        }
        // keys are byte-exact (a key may begin or end with spaces); each is checked before the store sees any
        List<String> keys = new ArrayList<>(objects.size());
        Map<String, S3Exception> refused = new LinkedHashMap<>();
        for (XmlInput.Element o : objects) {
            String key = o.childRawText("Key");
            if (key == null) {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }
            keys.add(key);
            try {
                if (key.isEmpty()) {
                    throw new S3Exception(S3ErrorCode.InvalidArgument, "An object key must not be empty");
                }
                if (o.childText("VersionId") != null) {
                    throw new S3Exception(S3ErrorCode.NotImplemented, "versioned delete");
                }
                Keys.validateKey(key);
                call.authorize(Action.DELETE_OBJECT, key);
            } catch (S3Exception e) {
                refused.putIfAbsent(key, e);
            }
        }
        List<String> allowed = new ArrayList<>(keys.size());
        for (String key : keys) {
            if (!refused.containsKey(key)) {
                allowed.add(call.backendKey(key));
            }
        }
        Map<String, S3Exception> failed = allowed.isEmpty() ? Map.of() : call.store.deleteObjects(allowed);
        XmlWriter x = new XmlWriter().root("DeleteResult");
        for (String key : keys) {
            S3Exception e = refused.get(key);
            if (e == null) {
                e = failed.get(call.backendKey(key));
            }
            if (e == null) {
                if (!quiet) {
                    x.start("Deleted").element("Key", key).end();
                }
                continue;
            }
            if (e.status() >= 500) {
                LOG.warn("Request {}: deleting '{}' failed with {}: {}", call.requestId, key, e.code(),
                        e.getMessage(), e.getCause());
            }
            x.start("Error").element("Key", key).element("Code", e.code().name())
                    .element("Message", e.clientMessage()).end();
        }
        sendXml(call, 200, x.end().toBytes());
    }

    // ---------------------------------------------------------------- objects

    private void getObject(Call call) throws IOException {
        String key = call.request.key();
        HttpExchange ex = call.exchange;
        Map<String, String> overrides = responseOverrides(call);
        ByteRange range = ByteRange.parse(ex.header("Range"));
        int partNumber = partNumber(call);
        Preconditions conditions = readPreconditions(ex, "If-Match", "If-None-Match", "If-Modified-Since",
                "If-Unmodified-Since");
        ObjectContent content;
        try {
            String version = Versions.requested(call);
            if (partNumber > 0 && version != null) {
                throw new S3Exception(S3ErrorCode.NotImplemented, "partNumber with versionId");
            }
            content = partNumber > 0 ? call.store.getPart(call.backendKey(key), partNumber, conditions)
                    : call.store.getVersion(call.backendKey(key), version, range, conditions);
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NotModified) {
                notModified(call);
                return;
            }
            throw e;
        }
        try (ObjectContent c = content) {
            InputStream in = c.stream();
            // no larger than the object (+1 for the end-of-stream read): a small GET allocates a small buffer
            byte[] buffer = new byte[(int) Math.max(1, Math.min(BUFFER_SIZE, c.length() + 1))];
            // the first read happens before any header is set, so a failure here is still a clean S3 error
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException | RuntimeException e) {
                if (e instanceof S3Exception s3) {
                    throw s3;
                }
                throw new S3Exception(S3ErrorCode.ServiceUnavailable, S3ErrorCode.ServiceUnavailable.defaultMessage(),
                        key, "the backend stream failed before the first byte: " + e, e);
            }
            ContentRange served = c.range();
            call.respond(served == null && partNumber == 0 ? 200 : 206);
            objectHeaders(ex, c.meta());
            ex.setHeader("Content-Length", Long.toString(c.length()));
            if (served != null) {
                ex.setHeader("Content-Range", served.header());
            }
            partHeaders(call, c.meta(), partNumber, served == null);
            overrides.forEach(ex::setHeader);
            stream(call, in, buffer, n, c.length());
        }
    }

    /** Copies the rest of an object to the client; after the first byte a failure can only abort the connection. */
    private static void stream(Call call, InputStream in, byte[] buffer, int first, long expected) throws IOException {
        OutputStream out = call.exchange.responseBody();
        long sent = 0;
        int n = first;
        while (n >= 0) {
            if (n > 0) {
                out.write(buffer, 0, n);
                sent += n;
                call.bytes = sent;
            }
            try {
                n = in.read(buffer);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Request {}: the backend stream of '{}' failed after {} of {} bytes; aborting the response",
                        call.requestId, call.request.key(), sent, expected, e);
                throw e instanceof IOException io ? io : new IOException("backend stream failed", e);
            }
        }
        if (sent != expected) {
            LOG.warn("Request {}: the backend sent {} of {} bytes of '{}'; aborting the response", call.requestId,
                    sent, expected, call.request.key());
            throw new IOException("backend stream ended early: " + sent + " of " + expected + " bytes");
        }
        out.flush();
    }

    private void headObject(Call call) {
        String key = call.request.key();
        HttpExchange ex = call.exchange;
        Map<String, String> overrides = responseOverrides(call);
        Preconditions conditions = readPreconditions(ex, "If-Match", "If-None-Match", "If-Modified-Since",
                "If-Unmodified-Since");
        ByteRange range = ByteRange.parse(ex.header("Range"));
        int partNumber = partNumber(call);
        ObjectMeta meta;
        ContentRange served;
        try {
            String version = Versions.requested(call);
            if (partNumber > 0 && version != null) {
                throw new S3Exception(S3ErrorCode.NotImplemented, "partNumber with versionId");
            }
            if (partNumber > 0) {
                ObjectContent part = call.store.headPart(call.backendKey(key), partNumber, conditions);
                meta = part.meta();
                served = part.range();
            } else {
                meta = call.store.headVersion(call.backendKey(key), version, conditions);
                served = range == null ? null : range.resolve(meta.size());
            }
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NotModified) {
                notModified(call);
                return;
            }
            throw e;
        }
        call.respond(served == null && partNumber == 0 ? 200 : 206);
        objectHeaders(ex, meta);
        ex.setHeader("Content-Length", Long.toString(served == null ? meta.size() : served.length()));
        if (served != null) {
            ex.setHeader("Content-Range", served.header());
        }
        partHeaders(call, meta, partNumber, served == null);
        overrides.forEach(ex::setHeader);
    }

    /**
     * {@code ?partNumber=N} of GET and HEAD: 0 when absent.
     *
     * @throws S3Exception {@code InvalidArgument} for a number out of 1..10000, {@code InvalidRequest} beside a
     *                     {@code Range} header
     */
    private static int partNumber(Call call) {
        String value = call.request.param("partNumber");
        if (value == null) {
            return 0;
        }
        int n = intParam(value, "partNumber", 1, MAX_PART_NUMBER);
        if (call.exchange.header("Range") != null) {
            throw new S3Exception(S3ErrorCode.InvalidRequest,
                    "Cannot specify both Range header and partNumber query parameter.");
        }
        return n;
    }

    /**
     * The checksum of the whole object when asked for ({@code x-amz-checksum-mode}) and the whole object is sent,
     * and for {@code ?partNumber=N} the number of parts.
     */
    private static void partHeaders(Call call, ObjectMeta meta, int partNumber, boolean whole) {
        HttpExchange ex = call.exchange;
        if (whole && partNumber == 0 && ChecksumSupport.wanted(ex)) {
            ChecksumSupport.headers(ex, meta.checksums().checksum());
        }
        if (partNumber > 0 && meta.checksums().partsCount() > 0) {
            ex.setHeader("x-amz-mp-parts-count", Integer.toString(meta.checksums().partsCount()));
        }
    }

    /** 304: no body, but the validators of the current object, as S3 sends them. */
    private static void notModified(Call call) {
        HttpExchange ex = call.exchange;
        call.respond(304);
        try {
            ObjectMeta meta = call.store.head(call.backendKey(call.request.key()), Preconditions.NONE);
            if (meta.etag() != null) {
                ex.setHeader("ETag", meta.etag());
            }
            if (meta.lastModified() != null) {
                ex.setHeader("Last-Modified", HttpDates.format(meta.lastModified()));
            }
        } catch (RuntimeException e) {
            LOG.debug("Request {}: no validators for the 304: {}", call.requestId, e.toString());
        }
    }

    private void putObject(Call call) throws IOException {
        String key = call.request.key();
        HttpExchange ex = call.exchange;
        rejectUnsupportedWriteHeaders(ex);
        ObjectAttributes attributes = Tagging.fromHeader(call, attributes(ex));
        Preconditions conditions = readPreconditions(ex, "If-Match", "If-None-Match", null, null);
        ObjectChecksum[] checksum = new ObjectChecksum[1];
        ObjectMeta meta = withBody(call, body -> {
            ObjectMeta stored = call.store.put(call.backendKey(key), body, attributes, conditions);
            checksum[0] = body.checksum().get();
            return stored;
        });
        if (meta.etag() != null) {
            ex.setHeader("ETag", meta.etag());
        }
        Versions.versionHeader(ex, meta.versionId());
        ChecksumSupport.headers(ex, checksum[0]);
        sendEmpty(call, 200);
    }

    private void copyObject(Call call) throws IOException {
        String key = call.request.key();
        HttpExchange ex = call.exchange;
        String sourceKey = call.copySourceKey;
        rejectUnsupportedWriteHeaders(ex);
        String directive = ex.header("x-amz-metadata-directive");
        ObjectAttributes attributes;
        if (directive == null || directive.equalsIgnoreCase("COPY")) {
            attributes = null;
        } else if (directive.equalsIgnoreCase("REPLACE")) {
            attributes = attributes(ex);
        } else {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Unknown metadata directive.",
                    "x-amz-metadata-directive", null);
        }
        attributes = Tagging.forCopy(call, attributes);
        String sourceVersion = Versions.requested(call.sourceStore, call.copySourceVersionId);
        if (!Copies.crossBucket(call) && sourceKey.equals(key) && attributes == null && sourceVersion == null) {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "This copy request is illegal because it is trying to "
                    + "copy an object to itself without changing the object's metadata, storage class, website "
                    + "redirect location or encryption attributes.");
        }
        Preconditions conditions = Copies.sourceConditions(call);
        ObjectMeta meta;
        try {
            if (sourceVersion == null) {
                meta = call.store.copyFrom(call.sourceStore, Copies.sourceBackendKey(call), conditions,
                        call.backendKey(key), attributes);
            } else if (Copies.crossBucket(call)) {
                throw new S3Exception(S3ErrorCode.NotImplemented, "CopyObject of a version from another bucket");
            } else {
                meta = call.store.copyVersion(Copies.sourceBackendKey(call), sourceVersion, conditions,
                        call.backendKey(key), attributes);
            }
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NotModified) {
                // a copy source condition fails with 412, never 304
                throw new S3Exception(S3ErrorCode.PreconditionFailed);
            }
            throw e;
        }
        Versions.versionHeader(ex, meta.versionId());
        if (sourceVersion != null) {
            ex.setHeader("x-amz-copy-source-version-id", call.copySourceVersionId);
        }
        XmlWriter x = new XmlWriter().root("CopyObjectResult");
        x.element("LastModified", meta.lastModified() == null ? null : HttpDates.iso(meta.lastModified()));
        x.element("ETag", meta.etag());
        sendXml(call, 200, x.end().toBytes());
    }

    // ---------------------------------------------------------------- multipart

    private void createUpload(Call call) throws IOException {
        String key = call.request.key();
        rejectUnsupportedWriteHeaders(call.exchange);
        ObjectChecksum checksum = Checksums.uploadChecksum(call.exchange.header("x-amz-checksum-algorithm"),
                call.exchange.header("x-amz-checksum-type"));
        String uploadId = call.store.createMultipartUpload(call.backendKey(key),
                Tagging.fromHeader(call, attributes(call.exchange)), checksum);
        if (checksum != null) {
            call.exchange.setHeader("x-amz-checksum-algorithm", checksum.algorithm());
            call.exchange.setHeader("x-amz-checksum-type", checksum.type());
        }
        XmlWriter x = new XmlWriter().root("InitiateMultipartUploadResult");
        x.element("Bucket", call.bucket.name()).element("Key", key).element("UploadId", uploadId);
        sendXml(call, 200, x.end().toBytes());
    }

    private void uploadPart(Call call) throws IOException {
        String key = call.request.key();
        int partNumber = intParam(call.request.param("partNumber"), "partNumber", 1, MAX_PART_NUMBER);
        String uploadId = uploadId(call);
        ObjectChecksum[] checksum = new ObjectChecksum[1];
        PartInfo part = withBody(call, body -> {
            PartInfo stored = call.store.uploadPart(call.backendKey(key), uploadId, partNumber, body);
            checksum[0] = body.checksum().get();
            return stored;
        });
        if (part.etag() != null) {
            call.exchange.setHeader("ETag", part.etag());
        }
        if (checksum[0] != null && checksum[0].value() != null) {
            call.exchange.setHeader(checksum[0].headerName(), checksum[0].value());
        }
        sendEmpty(call, 200);
    }

    private void completeUpload(Call call) throws IOException {
        String key = call.request.key();
        String uploadId = uploadId(call);
        // conditional completion (multistore 0.7.0+; Zarr and Icechunk writers rely on it)
        Preconditions conditions = readPreconditions(call.exchange, "If-Match", "If-None-Match", null, null);
        XmlInput.Element doc = readXml(call);
        if (!doc.name().equals("CompleteMultipartUpload")) {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
        List<CompletedPart> parts = new ArrayList<>();
        for (XmlInput.Element p : doc.all("Part")) {
            String number = p.childText("PartNumber");
            String etag = p.childText("ETag");
            if (number == null || etag == null) {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }
            int n;
            try {
                n = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }
            if (!parts.isEmpty() && parts.get(parts.size() - 1).partNumber() >= n) {
                throw new S3Exception(S3ErrorCode.InvalidPartOrder);
            }
            parts.add(new CompletedPart(n, etag, ChecksumSupport.partChecksum(p)));
        }
        if (parts.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MalformedXML, "You must specify at least one part");
        }
        ChecksumSupport.Completion completion = ChecksumSupport.complete(call.store, call.backendKey(key), uploadId,
                parts, call.exchange);
        ObjectMeta meta = call.store.completeMultipartUpload(call.backendKey(key), uploadId, completion.parts(),
                conditions, completion.checksum());
        ObjectChecksum checksum = meta.checksums().checksum() != null ? meta.checksums().checksum()
                : completion.checksum();
        XmlWriter x = new XmlWriter().root("CompleteMultipartUploadResult");
        x.element("Location", location(call, key));
        x.element("Bucket", call.bucket.name()).element("Key", key).element("ETag", meta.etag());
        ChecksumSupport.elements(x, checksum, true);
        sendXml(call, 200, x.end().toBytes());
    }

    static String location(Call call, String key) {
        String host = call.exchange.header("Host");
        if (host == null) {
            return null;
        }
        return "http://" + host + "/" + Keys.urlEncode(call.bucket.name()) + "/" + Keys.urlEncode(key);
    }

    private void listParts(Call call) throws IOException {
        String key = call.request.key();
        String uploadId = uploadId(call);
        S3Request r = call.request;
        int marker = r.param("part-number-marker") == null ? 0
                : intParam(r.param("part-number-marker"), "part-number-marker", 0, Integer.MAX_VALUE);
        int max = Listings.maxKeys(r.param("max-parts"), "max-parts");
        PartListing listing = max == 0 ? new PartListing(List.of(), false, 0)
                : call.store.listParts(call.backendKey(key), uploadId, marker, max);
        Listings.Owner owner = owner(call.identity());
        XmlWriter x = new XmlWriter().root("ListPartsResult");
        x.element("Bucket", call.bucket.name()).element("Key", key).element("UploadId", uploadId);
        x.start("Initiator").element("ID", owner.id()).element("DisplayName", owner.displayName()).end();
        Listings.owner(x, owner);
        x.element("StorageClass", "STANDARD");
        if (listing.checksum() != null) {
            x.element("ChecksumAlgorithm", listing.checksum().algorithm());
            x.element("ChecksumType", listing.checksum().type());
        }
        x.element("PartNumberMarker", marker);
        if (listing.truncated()) {
            x.element("NextPartNumberMarker", listing.nextPartNumberMarker());
        }
        x.element("MaxParts", max);
        x.element("IsTruncated", listing.truncated());
        for (PartInfo p : listing.parts()) {
            x.start("Part").element("PartNumber", p.partNumber())
                    .element("LastModified", p.lastModified() == null ? null : HttpDates.iso(p.lastModified()))
                    .element("ETag", p.etag()).element("Size", p.size());
            ChecksumSupport.elements(x, p.checksum(), false);
            x.end();
        }
        sendXml(call, 200, x.end().toBytes());
    }

    static String uploadId(Call call) {
        String id = call.request.param("uploadId");
        if (id == null || id.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NoSuchUpload);
        }
        return id;
    }

    // ---------------------------------------------------------------- bodies

    interface BodyConsumer<T> {
        T accept(ObjectBody body);
    }

    /**
     * Runs a write with the request body, checked by the payload verifier. When the body failed a check, the client
     * gets that error whatever the store made of the failed read.
     */
    private <T> T withBody(Call call, BodyConsumer<T> write) throws IOException {
        HttpExchange ex = call.exchange;
        long declared = declaredLength(ex);
        if (declared < 0) {
            throw new S3Exception(S3ErrorCode.MissingContentLength);
        }
        if (declared > settings.maxObjectSize()) {
            throw new S3Exception(S3ErrorCode.EntityTooLarge, "Your proposed upload of " + declared
                    + " bytes exceeds the maximum allowed size of " + settings.maxObjectSize() + " bytes");
        }
        VerifiedBody verified = PayloadVerifier.wrap(call.auth, call.signed, ex.requestBody(), ex.requestLength());
        TrackingStream tracked = new TrackingStream(verified.stream());
        call.body = tracked;
        return checkedWrite(call, tracked, verified.length(), verified.checksum(), write);
    }

    /**
     * Runs a write of a checked body: when the body failed a check, the client gets that error whatever the store
     * made of the failed read, and a store that swallowed the failure never reports success.
     */
    static <T> T checkedWrite(Call call, TrackingStream tracked, long length, BodyConsumer<T> write) {
        return checkedWrite(call, tracked, length, null, write);
    }

    /** {@link #checkedWrite(Call, TrackingStream, long, BodyConsumer)} of a body whose checksum is verified. */
    static <T> T checkedWrite(Call call, TrackingStream tracked, long length,
            java.util.function.Supplier<ObjectChecksum> checksum, BodyConsumer<T> write) {
        T result;
        try {
            result = write.accept(new ObjectBody(tracked, length, checksum));
        } catch (RuntimeException e) {
            PayloadException bad = tracked.failure();
            if (bad != null) {
                throw bad.s3Error();
            }
            throw e;
        }
        PayloadException bad = tracked.failure();
        if (bad != null) {
            // the store swallowed the failed read: still never report success for a body that failed its check
            LOG.error("Request {}: the store accepted a body that failed verification ({})", call.requestId,
                    bad.s3Error().code());
            throw bad.s3Error();
        }
        return result;
    }

    /** The object's length: the decoded length for {@code aws-chunked} bodies, else Content-Length; -1 if unknown. */
    static long declaredLength(HttpExchange ex) {
        String sha = ex.header("x-amz-content-sha256");
        String encoding = ex.header("Content-Encoding");
        boolean chunked = (sha != null && sha.startsWith("STREAMING-"))
                || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
        if (!chunked) {
            return ex.requestLength();
        }
        String decoded = ex.header("x-amz-decoded-content-length");
        if (decoded == null) {
            return -1;
        }
        try {
            return Long.parseLong(decoded.trim());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid x-amz-decoded-content-length",
                    "x-amz-decoded-content-length", null);
        }
    }

    XmlInput.Element readXml(Call call) throws IOException {
        HttpExchange ex = call.exchange;
        if (ex.requestLength() > settings.maxXmlSize()) {
            throw new S3Exception(S3ErrorCode.MalformedXML, "The XML you provided is larger than "
                    + settings.maxXmlSize() + " bytes");
        }
        VerifiedBody verified = PayloadVerifier.wrap(call.auth, call.signed, ex.requestBody(), ex.requestLength());
        call.body = new TrackingStream(verified.stream());
        try (InputStream in = call.body) {
            return xml.read(in);
        } catch (PayloadException e) {
            throw e.s3Error();
        }
    }

    // ---------------------------------------------------------------- headers

    /** Object metadata from request headers. */
    static ObjectAttributes attributes(HttpExchange ex) {
        Map<String, String> meta = new LinkedHashMap<>();
        for (String name : ex.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-meta-") && lower.length() > 11) {
                meta.putIfAbsent(lower.substring(11), String.join(",", ex.headers(name)));
            }
        }
        return new ObjectAttributes(combined(ex, "Content-Type"), contentEncoding(combined(ex, "Content-Encoding")),
                combined(ex, "Content-Disposition"), combined(ex, "Content-Language"), combined(ex, "Cache-Control"),
                combined(ex, "Expires"), meta);
    }

    /** A header sent on several lines, joined with ", " as S3 stores and returns it; {@code null} when absent. */
    static String combined(HttpExchange ex, String name) {
        List<String> values = ex.headers(name);
        return values == null || values.size() <= 1 ? ex.header(name) : String.join(", ", values);
    }

    /** Content-Encoding without the {@code aws-chunked} transfer coding, or {@code null} if nothing is left. */
    static String contentEncoding(String header) {
        if (header == null) {
            return null;
        }
        if (!header.toLowerCase(Locale.ROOT).contains("aws-chunked")) {
            return header; // stored exactly as sent ("deflate, gzip")
        }
        StringBuilder b = new StringBuilder();
        for (String part : header.split(",")) {
            String p = part.trim();
            if (!p.isEmpty() && !p.equalsIgnoreCase("aws-chunked")) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(p);
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    /** Headers that ask for storage features this gateway does not provide: refusing beats silently ignoring. */
    private static void rejectUnsupportedWriteHeaders(HttpExchange ex) {
        Acls.checkHeaders(ex);
        for (String name : ex.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            String value = ex.header(name);
            boolean unsupported = lower.startsWith("x-amz-server-side-encryption")
                    || lower.startsWith("x-amz-object-lock-")
                    || lower.equals("x-amz-website-redirect-location")
                    || (lower.equals("x-amz-storage-class") && !value.equalsIgnoreCase("STANDARD"));
            if (unsupported) {
                throw new S3Exception(S3ErrorCode.NotImplemented, "unsupported header " + lower, lower, null);
            }
        }
    }

    /**
     * Conditional headers; dates that do not parse are ignored, as S3 does. {@code null} header names are skipped.
     */
    static Preconditions readPreconditions(HttpExchange ex, String ifMatch, String ifNoneMatch,
            String ifModifiedSince, String ifUnmodifiedSince) {
        List<String> match = etags(ex, ifMatch);
        List<String> noneMatch = etags(ex, ifNoneMatch);
        Instant modifiedSince = ifModifiedSince == null ? null : HttpDates.parse(ex.header(ifModifiedSince));
        Instant unmodifiedSince = ifUnmodifiedSince == null ? null : HttpDates.parse(ex.header(ifUnmodifiedSince));
        if (match.isEmpty() && noneMatch.isEmpty() && modifiedSince == null && unmodifiedSince == null) {
            return Preconditions.NONE;
        }
        return new Preconditions(match, noneMatch, modifiedSince, unmodifiedSince);
    }

    private static List<String> etags(HttpExchange ex, String header) {
        if (header == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (String value : ex.headers(header)) {
            for (String tag : value.split(",")) {
                if (!tag.isBlank()) {
                    result.add(tag.trim());
                }
            }
        }
        return result;
    }

    /** Headers describing a stored object, for GET and HEAD. */
    static void objectHeaders(HttpExchange ex, ObjectMeta meta) {
        ObjectAttributes a = meta.attributes();
        if (meta.etag() != null) {
            ex.setHeader("ETag", meta.etag());
        }
        if (meta.lastModified() != null) {
            ex.setHeader("Last-Modified", HttpDates.format(meta.lastModified()));
        }
        ex.setHeader("Content-Type", a.contentType() == null ? DEFAULT_CONTENT_TYPE : a.contentType());
        setIfPresent(ex, "Content-Encoding", a.contentEncoding());
        setIfPresent(ex, "Content-Disposition", a.contentDisposition());
        setIfPresent(ex, "Content-Language", a.contentLanguage());
        setIfPresent(ex, "Cache-Control", a.cacheControl());
        setIfPresent(ex, "Expires", a.expires());
        a.userMetadata().forEach((k, v) -> setIfPresent(ex, "x-amz-meta-" + k, v));
        ex.setHeader("Accept-Ranges", "bytes");
        Versions.versionHeader(ex, meta.versionId());
        if (meta.tagCount() > 0) {
            ex.setHeader("x-amz-tagging-count", Integer.toString(meta.tagCount()));
        }
    }

    private static void setIfPresent(HttpExchange ex, String name, String value) {
        if (value != null && safeHeaderValue(value)) {
            ex.setHeader(name, value);
        }
    }

    /** No control characters: a stored value must never split a response header. */
    private static boolean safeHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** {@code response-*} overrides; S3 honours them only on signed requests and refuses them otherwise. */
    private static Map<String, String> responseOverrides(Call call) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> o : RESPONSE_OVERRIDES.entrySet()) {
            String value = call.request.param(o.getKey());
            if (value != null) {
                if (!safeHeaderValue(value)) {
                    throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid " + o.getKey(), o.getKey(), null);
                }
                result.put(o.getValue(), value);
            }
        }
        if (!result.isEmpty() && call.identity() instanceof Identity.Anonymous) {
            throw new S3Exception(S3ErrorCode.InvalidRequest,
                    "Request specific response headers cannot be used for anonymous GET requests.");
        }
        return result;
    }

    // ---------------------------------------------------------------- responses

    static Listings.Owner owner(Identity identity) {
        String id;
        if (identity instanceof Identity.LongLived l) {
            id = l.principalName() != null && !l.principalName().isEmpty() ? l.principalName() : l.accessKeyId();
        } else if (identity instanceof Identity.Temporary t) {
            id = t.subject() != null && !t.subject().isEmpty() ? t.subject() : t.roleId();
        } else {
            id = "anonymous";
        }
        return new Listings.Owner(id, id);
    }

    static int intParam(String value, String name, int min, int max) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new S3Exception(S3ErrorCode.InvalidArgument, name + " must be an integer between " + min + " and "
                + max, name, null);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static void sendXml(Call call, int status, byte[] body) throws IOException {
        HttpExchange ex = call.exchange;
        call.respond(status);
        ex.setHeader("Content-Type", "application/xml");
        ex.setHeader("Content-Length", Integer.toString(body.length));
        OutputStream out = ex.responseBody();
        out.write(body);
        out.flush();
        call.bytes = body.length;
    }

    static void sendEmpty(Call call, int status) {
        call.respond(status);
        if (status != 204 && status != 304) {
            call.exchange.setHeader("Content-Length", "0");
        }
    }
}
