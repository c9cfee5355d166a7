package io.multistore.backend.gcs.internal;

import com.google.auth.Credentials;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageBatchResult;
import com.google.cloud.storage.StorageOptions;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ContentRange;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.PartListing;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.StoredChecksums;
import io.multistore.api.backend.UploadInfo;
import io.multistore.api.backend.UploadListing;
import io.multistore.lib.dataplane.BackendResponse;
import io.multistore.lib.dataplane.ErrorBody;
import io.multistore.lib.dataplane.HttpTransport;
import io.multistore.lib.dataplane.OutboundBody;
import io.multistore.lib.dataplane.StoreHeaders;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend bucket on Google Cloud Storage. Thread-safe.
 * <p>
 * Two planes: object bodies (GET, HEAD, PUT, UploadPart) go through {@link GcsDataPlane}, one HTTP exchange each on
 * the shared transport; listing, deletion, copy (GCS rewrite), compose and bucket operations go through the client
 * library's {@link Storage}, whose credentials also give the data plane its bearer token.
 * <p>
 * <b>ETags.</b> An object written whole has GCS's MD5 as its ETag ({@code "hex"}), as S3 does. A multipart upload's
 * object is a GCS composite, which has no MD5: its ETag is S3's multipart ETag (the MD5 of the parts' binary MD5s,
 * {@code -N}), computed at completion and kept in the object's custom metadata ({@value #META_ETAG}, hidden from
 * clients), so it is the same on PUT, HEAD, GET, LIST and copies. A composite written by someone else has
 * {@code "CRC32C-hex-N"} (N = its component count). Conditional requests compare against these ETags; writes that
 * must be atomic (If-Match, If-None-Match: *) translate the matched ETag into a GCS generation precondition.
 * <p>
 * <b>Multipart uploads</b> live in GCS itself, under the hidden prefix {@value MultipartNames#ROOT} (never listed):
 * a marker object per upload (named from the target key, holding the target's attributes) and one object per part.
 * Completion composes the parts (≤ 32 sources per compose, in a tree for more) into the target with the write
 * preconditions, then deletes the temporaries; abort deletes them. ListParts and ListMultipartUploads list those
 * objects, so an upload survives a gateway restart and is visible to every gateway instance.
 */
final class GcsObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(GcsObjectStore.class);

    /** Custom metadata holding the S3 ETag of a composed object. */
    static final String META_ETAG = "multistore-etag";
    /** Custom metadata holding S3's {@code Expires} (GCS has no such field). */
    static final String META_EXPIRES = "multistore-expires";
    private static final String GOOG_META = "x-goog-meta-";
    /** GCS composes at most this many sources per call. */
    static final int COMPOSE_LIMIT = 32;
    /** Chunk of a resumable upload (a multiple of 256 KiB, as GCS requires); the one buffer of such an upload. */
    static final int CHUNK = 8 * 1024 * 1024;
    private static final int MIN_PART = 5 * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    private static final String SCOPE = "https://www.googleapis.com/auth/devstorage.full_control";

    private final Storage storage;
    private final GcsDataPlane data;
    private final String bucket;
    /** Sources per compose: {@value #COMPOSE_LIMIT}, less only in tests of the compose tree. */
    private final int composeLimit;

    private GcsObjectStore(Storage storage, GcsDataPlane data, String bucket, int composeLimit) {
        this.storage = storage;
        this.data = data;
        this.bucket = bucket;
        this.composeLimit = composeLimit;
    }

    /**
     * @throws IllegalArgumentException when the credentials cannot be loaded (the caller reports it)
     */
    static GcsObjectStore open(GcsStoreOptions options, HttpTransport transport) {
        return open(options, transport, COMPOSE_LIMIT);
    }

    static GcsObjectStore open(GcsStoreOptions options, HttpTransport transport, int composeLimit) {
        return open(options, transport, composeLimit, null);
    }

    /**
     * @param sourced the credentials of a bucket with an {@code auth_type}, or {@code null} to load them as the
     *                options say
     */
    static GcsObjectStore open(GcsStoreOptions options, HttpTransport transport, int composeLimit,
            Credentials sourced) {
        Credentials credentials = sourced != null ? sourced : credentials(options);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // the library looks up optional services through the context class loader: let it see its own classes
        Thread.currentThread().setContextClassLoader(GcsObjectStore.class.getClassLoader());
        try {
            StorageOptions.Builder builder = StorageOptions.http()
                    .setHost(options.endpoint().toString())
                    .setCredentials(credentials == null ? NoCredentials.getInstance() : credentials);
            String project = options.projectId();
            if (project == null && !options.googleEndpoint()) {
                // emulators and private endpoints: CreateBucket needs some project
                project = "multistore";
            }
            if (project != null) {
                builder.setProjectId(project);
            }
            Storage storage = builder.build().getService();
            LOG.debug("Opened GCS store {}", options);
            return new GcsObjectStore(storage, new GcsDataPlane(transport, credentials, options.endpoint(),
                    options.bucketName()), options.bucketName(), composeLimit);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot create a GCS client: " + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** The credentials both planes use, or {@code null} for none. */
    private static Credentials credentials(GcsStoreOptions options) {
        try {
            if (options.serviceAccountKey() != null) {
                return scoped(GoogleCredentials.fromStream(new ByteArrayInputStream(
                        options.serviceAccountKey().getBytes(StandardCharsets.UTF_8))));
            }
            if (options.serviceAccountPath() != null) {
                try (InputStream in = new FileInputStream(options.serviceAccountPath())) {
                    return scoped(GoogleCredentials.fromStream(in));
                }
            }
            if (options.applicationCredentials() != null) {
                try (InputStream in = new FileInputStream(options.applicationCredentials())) {
                    return scoped(GoogleCredentials.fromStream(in));
                }
            }
            if (options.bearerToken() != null) {
                return GoogleCredentials.create(new AccessToken(options.bearerToken(), null));
            }
            if (options.skipSignature()) {
                return null;
            }
            return scoped(GoogleCredentials.getApplicationDefault());
        } catch (IOException | RuntimeException e) {
            // never the key or the path: only which kind of credentials failed
            throw new IllegalArgumentException("cannot load the GCS credentials (" + options + "): "
                    + e.getClass().getSimpleName());
        }
    }

    private static GoogleCredentials scoped(GoogleCredentials credentials) {
        return credentials.createScopedRequired() ? credentials.createScoped(SCOPE) : credentials;
    }

    // ------------------------------------------------------------------------------------------------ reads

    /** What one object is: its S3 view plus GCS's generation (for atomic conditions). */
    record Stat(ObjectMeta meta, long generation) {
    }

    @Override
    public ObjectMeta head(String key, Preconditions conditions) {
        ObjectMeta meta = stat(key).meta();
        conditions.checkRead(meta);
        return meta;
    }

    private Stat stat(String key) {
        checkKey(key);
        try (BackendResponse response = exchange("HEAD", data.objectUri(key), Map.of(), null, key)) {
            return stat(key, response, StoreHeaders.parseLong(response.header("Content-Length")));
        }
    }

    private Stat statOrNull(String key) {
        try {
            return stat(key);
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NoSuchKey) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public ObjectMeta headOrNull(String key) {
        Stat stat = statOrNull(key);
        return stat == null ? null : stat.meta();
    }

    /*
     * Conditions are checked here against the answer's metadata before a byte is streamed: GCS's own conditional
     * headers compare its ETags and generations, which are not the S3 ETags clients hold for composed objects.
     */
    @Override
    public ObjectContent get(String key, ByteRange range, Preconditions conditions) {
        checkKey(key);
        Map<String, String> headers = range == null ? Map.of() : Map.of("Range", range.header());
        BackendResponse response = exchange("GET", data.objectUri(key), headers, null, key);
        try {
            ContentRange served = response.status() == 206
                    ? StoreHeaders.parseContentRange(response.header("Content-Range"))
                    : null;
            long size = served != null ? served.total() : Math.max(0, response.contentLength());
            ObjectMeta meta = stat(key, response, size).meta();
            conditions.checkRead(meta);
            return new ObjectContent(meta, response.body(), served);
        } catch (RuntimeException e) {
            response.close();
            throw e;
        }
    }

    private static Stat stat(String key, BackendResponse response, long size) {
        Map<String, String> custom = StoreHeaders.userMetadata(response, GOOG_META);
        String md5 = null;
        String crc32c = null;
        List<String> hashes = response.headers().get("x-goog-hash");
        if (hashes != null) {
            for (String value : hashes) {
                for (String hash : value.split(",")) {
                    String h = hash.trim();
                    if (h.startsWith("md5=")) {
                        md5 = h.substring(4);
                    } else if (h.startsWith("crc32c=")) {
                        crc32c = h.substring(7);
                    }
                }
            }
        }
        String components = response.header("x-goog-component-count");
        String etag = etag(custom.get(META_ETAG), md5, crc32c, components == null ? null
                : Integer.valueOf(components.trim()));
        ObjectAttributes attributes = attributes(response.header("Content-Type"),
                response.header("Content-Encoding"), response.header("Content-Disposition"),
                response.header("Content-Language"), response.header("Cache-Control"), custom);
        long generation = StoreHeaders.parseLong(response.header("x-goog-generation"));
        long stored = StoreHeaders.parseLong(response.header("x-goog-stored-content-length"));
        // GCS's own CRC32C is S3's full-object CRC32C of the bytes served; returned only for an object written in
        // one piece (a composite's client asked for its upload's algorithm) and served as stored
        StoredChecksums checksums = crc32c != null && components == null
                && response.header("Content-Encoding") == null
                ? StoredChecksums.of(new ObjectChecksum("CRC32C", crc32c, ObjectChecksum.FULL_OBJECT))
                : StoredChecksums.NONE;
        return new Stat(new ObjectMeta(key, stored >= 0 && response.header("Content-Encoding") == null ? stored
                : size, etag, StoreHeaders.parseDate(response.header("Last-Modified")), attributes, checksums),
                generation);
    }

    /** The S3 ETag of an object (see the class comment). */
    static String etag(String stored, String md5Base64, String crc32cBase64, Integer componentCount) {
        if (stored != null && !stored.isEmpty()) {
            return stored;
        }
        if (md5Base64 != null && !md5Base64.isEmpty()) {
            return "\"" + HexFormat.of().formatHex(Base64.getDecoder().decode(md5Base64)) + "\"";
        }
        String crc = crc32cBase64 == null ? "00000000"
                : HexFormat.of().formatHex(Base64.getDecoder().decode(crc32cBase64));
        return "\"" + crc + "-" + (componentCount == null ? 1 : componentCount) + "\"";
    }

    private static ObjectAttributes attributes(String contentType, String contentEncoding,
            String contentDisposition, String contentLanguage, String cacheControl, Map<String, String> custom) {
        Map<String, String> user = new HashMap<>();
        String expires = null;
        if (custom != null) {
            for (Map.Entry<String, String> e : custom.entrySet()) {
                String name = e.getKey().toLowerCase(Locale.ROOT);
                if (name.equals(META_EXPIRES)) {
                    expires = e.getValue();
                } else if (!name.equals(META_ETAG) && !name.startsWith(MultipartNames.META_PREFIX)) {
                    user.put(name, e.getValue());
                }
            }
        }
        return new ObjectAttributes(contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl,
                expires, user);
    }

    // ------------------------------------------------------------------------------------------------ writes

    @Override
    public ObjectMeta put(String key, ObjectBody body, ObjectAttributes attributes, Preconditions conditions) {
        checkKey(key);
        ObjectAttributes attrs = attributes == null ? ObjectAttributes.NONE : attributes;
        Long generation = writeGeneration(key, conditions);
        return meta(key, upload(key, body, attrs, generation, Map.of()));
    }

    /**
     * The GCS generation a conditional write must meet (0: must not exist), after checking the conditions against
     * the current object; {@code null} for an unconditional write.
     */
    private Long writeGeneration(String key, Preconditions conditions) {
        if (conditions.isEmpty()) {
            return null;
        }
        Stat current = statOrNull(key);
        conditions.checkWrite(current == null ? null : current.meta());
        if (current == null) {
            return 0L;
        }
        return conditions.ifMatch().isEmpty() && conditions.ifNoneMatch().isEmpty() ? null : current.generation();
    }

    /**
     * Uploads one object through the data plane and answers GCS's object resource.
     *
     * @param generation GCS precondition ({@code ifGenerationMatch}), or {@code null}
     * @param hidden     custom metadata of this gateway's own (never from clients)
     */
    private JsonObject upload(String name, ObjectBody body, ObjectAttributes attrs, Long generation,
            Map<String, String> hidden) {
        String metadata = resource(name, attrs, hidden).toString();
        if (body.length() >= 0) {
            return uploadMultipart(name, metadata, attrs, OutboundBody.stream(body.stream(), body.length()),
                    generation);
        }
        InputStream in = body.stream();
        byte[] first = new byte[CHUNK];
        int n = readFully(in, first, 0, name);
        if (n < CHUNK) {
            // all of it fitted in one chunk: a plain upload of known length
            return uploadMultipart(name, metadata, attrs, OutboundBody.of(first, 0, n), generation);
        }
        return uploadResumable(name, metadata, in, first, generation);
    }

    private JsonObject uploadMultipart(String name, String metadata, ObjectAttributes attrs, OutboundBody media,
            Long generation) {
        String boundary = "multistore-" + UUID.randomUUID() + UUID.randomUUID();
        String mediaType = contentType(attrs);
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n" + metadata
                + "\r\n--" + boundary + "\r\nContent-Type: " + mediaType + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        OutboundBody wire = media.encoded(head.length + media.length() + tail.length,
                () -> new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(head),
                        media.newStream(), new ByteArrayInputStream(tail)))));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("uploadType", "multipart");
        query.put("name", name);
        if (generation != null) {
            query.put("ifGenerationMatch", Long.toString(generation));
        }
        try (BackendResponse response = exchange("POST", data.uploadUri(query),
                Map.of("Content-Type", "multipart/related; boundary=" + boundary), wire, name)) {
            return readJson(response, name);
        }
    }

    /** A body of unknown length: a resumable session fed chunk by chunk, one chunk in memory at a time. */
    private JsonObject uploadResumable(String name, String metadata, InputStream in, byte[] first, Long generation) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("uploadType", "resumable");
        query.put("name", name);
        if (generation != null) {
            query.put("ifGenerationMatch", Long.toString(generation));
        }
        byte[] json = metadata.getBytes(StandardCharsets.UTF_8);
        URI session;
        try (BackendResponse start = exchange("POST", data.uploadUri(query),
                Map.of("Content-Type", "application/json; charset=UTF-8"), OutboundBody.of(json, 0, json.length),
                name)) {
            String location = start.header("Location");
            if (location == null) {
                throw new S3Exception(S3ErrorCode.ServiceUnavailable, null, name,
                        GcsErrors.STORE + " opened a resumable upload without a session URL", null);
            }
            session = URI.create(location);
        }
        byte[] chunk = first;
        int length = CHUNK;
        long offset = 0;
        try {
            while (true) {
                // one byte of look-ahead tells whether this chunk is the last
                int next = readOne(in, name);
                boolean last = next < 0;
                String total = last ? Long.toString(offset + length) : "*";
                String range = length == 0 ? "bytes */" + total
                        : "bytes " + offset + "-" + (offset + length - 1) + "/" + total;
                try (BackendResponse response = exchange("PUT", session, Map.of("Content-Range", range),
                        OutboundBody.of(chunk, 0, length), name)) {
                    if (last) {
                        return readJson(response, name);
                    }
                    if (response.status() != 308) {
                        throw new S3Exception(S3ErrorCode.ServiceUnavailable, null, name,
                                GcsErrors.STORE + " ended a resumable upload early (" + response.status() + ")",
                                null);
                    }
                }
                offset += length;
                chunk[0] = (byte) next;
                length = 1 + readFully(in, chunk, 1, name);
                if (length < CHUNK) {
                    // the rest fits: send it as the last chunk
                    try (BackendResponse response = exchange("PUT", session, Map.of("Content-Range", "bytes "
                            + offset + "-" + (offset + length - 1) + "/" + (offset + length)),
                            OutboundBody.of(chunk, 0, length), name)) {
                        return readJson(response, name);
                    }
                }
            }
        } catch (RuntimeException e) {
            cancel(session);
            throw e;
        }
    }

    private void cancel(URI session) {
        try (BackendResponse ignored = data.send("DELETE", session, Map.of(), null)) {
            LOG.debug("Cancelled resumable upload session");
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot cancel a resumable upload session; GCS expires it within a week", e);
        }
    }

    private static int readFully(InputStream in, byte[] buffer, int from, String key) {
        int n = from;
        try {
            while (n < buffer.length) {
                int r = in.read(buffer, n, buffer.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException | UncheckedIOException e) {
            throw new S3Exception(S3ErrorCode.IncompleteBody, "reading the request body failed: " + e.getMessage(),
                    key, e);
        }
        return n - from;
    }

    private static int readOne(InputStream in, String key) {
        try {
            return in.read();
        } catch (IOException | UncheckedIOException e) {
            throw new S3Exception(S3ErrorCode.IncompleteBody, "reading the request body failed: " + e.getMessage(),
                    key, e);
        }
    }

    /** GCS's object resource for an upload: name, content headers, custom metadata. */
    private static JsonObject resource(String name, ObjectAttributes attrs, Map<String, String> hidden) {
        JsonObject resource = new JsonObject();
        resource.addProperty("name", name);
        resource.addProperty("contentType", contentType(attrs));
        addIfSet(resource, "contentEncoding", attrs.contentEncoding());
        addIfSet(resource, "contentDisposition", attrs.contentDisposition());
        addIfSet(resource, "contentLanguage", attrs.contentLanguage());
        addIfSet(resource, "cacheControl", attrs.cacheControl());
        Map<String, String> custom = customMetadata(attrs, hidden);
        if (!custom.isEmpty()) {
            JsonObject metadata = new JsonObject();
            custom.forEach(metadata::addProperty);
            resource.add("metadata", metadata);
        }
        return resource;
    }

    /** Client metadata (without names this gateway reserves) plus the gateway's own. */
    private static Map<String, String> customMetadata(ObjectAttributes attrs, Map<String, String> hidden) {
        Map<String, String> custom = new HashMap<>();
        attrs.userMetadata().forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (!name.equals(META_ETAG) && !name.equals(META_EXPIRES)
                    && !name.startsWith(MultipartNames.META_PREFIX)) {
                custom.put(name, v);
            }
        });
        if (attrs.expires() != null) {
            custom.put(META_EXPIRES, attrs.expires());
        }
        custom.putAll(hidden);
        return custom;
    }

    private static void addIfSet(JsonObject object, String name, String value) {
        if (value != null) {
            object.addProperty(name, value);
        }
    }

    private static String contentType(ObjectAttributes attrs) {
        return attrs.contentType() != null ? attrs.contentType() : "application/octet-stream";
    }

    private static JsonObject readJson(BackendResponse response, String key) {
        try (InputStream in = response.body()) {
            JsonElement json = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new IOException("not a JSON object");
            }
            return json.getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, null, key,
                    GcsErrors.STORE + " answered an upload with an unreadable object resource: " + e, e);
        }
    }

    /** The S3 view of GCS's JSON object resource. */
    private static ObjectMeta meta(String key, JsonObject resource) {
        Map<String, String> custom = new HashMap<>();
        JsonElement metadata = resource.get("metadata");
        if (metadata != null && metadata.isJsonObject()) {
            metadata.getAsJsonObject().entrySet().forEach(e -> custom.put(e.getKey(), e.getValue().getAsString()));
        }
        Integer components = resource.has("componentCount") ? resource.get("componentCount").getAsInt() : null;
        String updated = string(resource, "updated");
        return new ObjectMeta(key, Long.parseLong(string(resource, "size") == null ? "0" : string(resource, "size")),
                etag(custom.get(META_ETAG), string(resource, "md5Hash"), string(resource, "crc32c"), components),
                updated == null ? Instant.now() : OffsetDateTime.parse(updated).toInstant(),
                attributes(string(resource, "contentType"), string(resource, "contentEncoding"),
                        string(resource, "contentDisposition"), string(resource, "contentLanguage"),
                        string(resource, "cacheControl"), custom));
    }

    private static String string(JsonObject object, String name) {
        JsonElement e = object.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    /** The S3 view of a control-plane blob. */
    static ObjectMeta meta(String key, BlobInfo blob) {
        return new ObjectMeta(key, blob.getSize() == null ? 0 : blob.getSize(),
                etag(blob.getMetadata() == null ? null : blob.getMetadata().get(META_ETAG), blob.getMd5(),
                        blob.getCrc32c(), blob.getComponentCount()),
                blob.getUpdateTimeOffsetDateTime() == null ? null : blob.getUpdateTimeOffsetDateTime().toInstant(),
                attributes(blob.getContentType(), blob.getContentEncoding(), blob.getContentDisposition(),
                        blob.getContentLanguage(), blob.getCacheControl(), blob.getMetadata()));
    }

    /**
     * One data-plane exchange that must succeed: a connection failure becomes the client body's own failure if it
     * had one, else {@code ServiceUnavailable}; an answer other than 2xx (and 308, a resumable upload's "go on")
     * becomes the S3 error it means.
     */
    private BackendResponse exchange(String method, URI uri, Map<String, String> headers, OutboundBody body,
            String key) {
        BackendResponse response;
        try {
            response = data.send(method, uri, headers, body);
        } catch (IOException | UncheckedIOException e) {
            S3Exception bodyFailure = body == null ? null : body.failure(key);
            if (bodyFailure != null) {
                throw bodyFailure;
            }
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, null, key, GcsErrors.STORE + " unreachable: "
                    + e, e);
        }
        int status = response.status();
        if (status >= 200 && status < 300 || status == 308) {
            return response;
        }
        String[] error = "HEAD".equals(method) ? new String[2] : readError(response);
        response.close();
        S3Exception bodyFailure = body == null ? null : body.failure(key);
        if (bodyFailure != null) {
            throw bodyFailure;
        }
        throw GcsErrors.fromAnswer(status, error[0], error[1], key, null);
    }

    /** Reason and message of a JSON or XML error answer (at most 64 KiB of it). */
    private static String[] readError(BackendResponse response) {
        String text;
        try (InputStream in = response.body()) {
            text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new String[2];
        }
        if (text.startsWith("<")) {
            ErrorBody xml = ErrorBody.parse(text);
            return new String[] {xml.code(), xml.message()};
        }
        try {
            JsonObject error = JsonParser.parseString(text).getAsJsonObject().getAsJsonObject("error");
            String reason = null;
            if (error.has("errors") && error.getAsJsonArray("errors").size() > 0) {
                reason = string(error.getAsJsonArray("errors").get(0).getAsJsonObject(), "reason");
            }
            return new String[] {reason, string(error, "message")};
        } catch (RuntimeException e) {
            return new String[] {null, text.strip()};
        }
    }

    // ------------------------------------------------------------------------------------------------ control plane

    @Override
    public void delete(String key) {
        checkKey(key);
        call(key, () -> storage.delete(BlobId.of(bucket, key)));
    }

    /** GCS's JSON batch endpoint: up to 100 deletions per call, one result each. */
    @Override
    public Map<String, S3Exception> deleteObjects(List<String> keys) {
        Map<String, S3Exception> failed = new LinkedHashMap<>();
        for (int from = 0; from < keys.size(); from += 100) {
            List<String> slice = keys.subList(from, Math.min(keys.size(), from + 100));
            StorageBatch batch = storage.batch();
            Map<String, StorageBatchResult<Boolean>> results = new LinkedHashMap<>();
            for (String key : slice) {
                if (MultipartNames.hidden(key)) {
                    failed.put(key, reservedKey(key));
                } else {
                    results.put(key, batch.delete(BlobId.of(bucket, key)));
                }
            }
            if (results.isEmpty()) {
                continue;
            }
            try {
                batch.submit();
            } catch (BaseServiceException e) {
                S3Exception error = GcsErrors.translate(e, bucket);
                results.keySet().forEach(k -> failed.put(k, error));
                continue;
            }
            results.forEach((key, result) -> {
                try {
                    result.get();
                } catch (BaseServiceException e) {
                    if (e.getCode() != 404) {
                        failed.put(key, GcsErrors.translate(e, key));
                    }
                }
            });
        }
        return failed;
    }

    /*
     * Continuation tokens are opaque to clients: "g" + GCS's own page token, or "o" + the last entry returned (base64)
     * when this gateway cut a page short itself — GCS counts objects and common prefixes together against maxResults,
     * but a store that returns every common prefix of a page regardless (the emulator does) is cut to maxKeys here,
     * in S3's order, so paging behaves as S3's whatever the store does.
     */
    @Override
    public ListPage list(ListRequest request) {
        List<Storage.BlobListOption> options = new ArrayList<>();
        if (!request.prefix().isEmpty()) {
            options.add(Storage.BlobListOption.prefix(request.prefix()));
        }
        String delimiter = request.delimiter();
        if (delimiter != null) {
            options.add(Storage.BlobListOption.delimiter(delimiter));
        }
        int maxKeys = Math.max(1, request.maxKeys());
        // one more than asked: the inclusive startOffset may return the start entry itself, and a cut page then
        // still holds maxKeys entries that come, in S3's order, before anything the store did not return
        options.add(Storage.BlobListOption.pageSize(Math.min(1000, maxKeys + 1)));
        String after = null;
        String token = request.continuationToken();
        if (token != null && token.startsWith("g")) {
            options.add(Storage.BlobListOption.pageToken(token.substring(1)));
        } else if (token != null && token.startsWith("o")) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token.substring(1)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "The continuation token is not valid",
                        request.prefix(), null);
            }
        } else if (token != null) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The continuation token is not valid",
                    request.prefix(), null);
        } else if (request.startAfter() != null && !request.startAfter().isEmpty()) {
            after = request.startAfter();
        }
        // GCS's startOffset is inclusive: the entry itself, and what a common prefix rolls up, are dropped below
        String skippedPrefix = after != null && delimiter != null && after.endsWith(delimiter) ? after : null;
        if (after != null) {
            options.add(Storage.BlobListOption.startOffset(after));
        }
        com.google.api.gax.paging.Page<Blob> page = callOnBucket(request.prefix(),
                () -> storage.list(bucket, options.toArray(new Storage.BlobListOption[0])));
        java.util.TreeMap<String, ObjectSummary> entries = new java.util.TreeMap<>(
                io.multistore.api.backend.ObjectKeys.UTF8_ORDER);
        for (Blob blob : page.getValues()) {
            String name = blob.getName();
            if (MultipartNames.hidden(name) || name.equals(after)
                    || skippedPrefix != null && name.startsWith(skippedPrefix)) {
                continue;
            }
            if (blob.isDirectory()) {
                entries.put(name, null);
            } else {
                ObjectMeta meta = meta(name, blob);
                entries.put(name, new ObjectSummary(name, meta.size(), meta.etag(), meta.lastModified()));
            }
        }
        List<ObjectSummary> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        int count = 0;
        for (Map.Entry<String, ObjectSummary> e : entries.entrySet()) {
            if (count == maxKeys) {
                break;
            }
            if (e.getValue() == null) {
                prefixes.add(e.getKey());
            } else {
                objects.add(e.getValue());
            }
            last = e.getKey();
            count++;
        }
        if (entries.size() > maxKeys) {
            return new ListPage(objects, prefixes, true, "o" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        String next = page.getNextPageToken();
        boolean truncated = next != null && !next.isEmpty();
        return new ListPage(objects, prefixes, truncated, truncated ? "g" + next : null);
    }

    /** GCS rewrite: server-side, the source pinned to the generation its conditions were checked against. */
    @Override
    public ObjectMeta copy(String sourceKey, Preconditions sourceConditions, String targetKey,
            ObjectAttributes attributes) {
        checkKey(sourceKey);
        checkKey(targetKey);
        Stat source = stat(sourceKey);
        try {
            sourceConditions.checkRead(source.meta());
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NotModified) {
                // a copy answers 412 for every failed copy-source condition
                throw new S3Exception(S3ErrorCode.PreconditionFailed, null, sourceKey, null, e);
            }
            throw e;
        }
        Storage.CopyRequest.Builder request = Storage.CopyRequest.newBuilder()
                .setSource(BlobId.of(bucket, sourceKey))
                .setSourceOptions(Storage.BlobSourceOption.generationMatch(source.generation()));
        if (attributes == null) {
            request.setTarget(BlobId.of(bucket, targetKey));
        } else {
            Map<String, String> hidden = new HashMap<>();
            String etag = source.meta().etag();
            if (etag != null && etag.contains("-")) {
                hidden.put(META_ETAG, etag);
            }
            request.setTarget(blobInfo(targetKey, attributes, hidden));
        }
        Blob copy = call(sourceKey, () -> storage.copy(request.build()).getResult());
        return meta(targetKey, copy);
    }

    private BlobInfo blobInfo(String name, ObjectAttributes attrs, Map<String, String> hidden) {
        return BlobInfo.newBuilder(BlobId.of(bucket, name))
                .setContentType(contentType(attrs))
                .setContentEncoding(attrs.contentEncoding())
                .setContentDisposition(attrs.contentDisposition())
                .setContentLanguage(attrs.contentLanguage())
                .setCacheControl(attrs.cacheControl())
                .setMetadata(customMetadata(attrs, hidden))
                .build();
    }

    // ------------------------------------------------------------------------------------------------ multipart

    @Override
    public String createMultipartUpload(String key, ObjectAttributes attributes) {
        checkKey(key);
        ObjectAttributes attrs = attributes == null ? ObjectAttributes.NONE : attributes;
        String uploadId = MultipartNames.newUploadId();
        String marker = MultipartNames.marker(key, uploadId);
        if (marker.getBytes(StandardCharsets.UTF_8).length > MultipartNames.MAX_NAME) {
            throw new S3Exception(S3ErrorCode.KeyTooLongError, "Multipart uploads on this backend take keys of at"
                    + " most " + MultipartNames.MAX_MULTIPART_KEY + " bytes", key, null);
        }
        // the marker carries the target's attributes until completion
        call(key, () -> storage.create(blobInfo(marker, attrs, Map.of()), new byte[0]));
        return uploadId;
    }

    /** The upload's marker, or {@code NoSuchUpload}. */
    private Blob marker(String key, String uploadId) {
        if (!MultipartNames.validUploadId(uploadId)) {
            throw new S3Exception(S3ErrorCode.NoSuchUpload, null, key, null);
        }
        Blob marker = call(key, () -> storage.get(BlobId.of(bucket, MultipartNames.marker(key, uploadId))));
        if (marker == null) {
            throw new S3Exception(S3ErrorCode.NoSuchUpload, null, key, null);
        }
        return marker;
    }

    @Override
    public PartInfo uploadPart(String key, String uploadId, int partNumber, ObjectBody body) {
        checkKey(key);
        marker(key, uploadId);
        String name = MultipartNames.part(uploadId, partNumber);
        JsonObject part = upload(name, body, ObjectAttributes.NONE, null, Map.of());
        ObjectMeta meta = meta(name, part);
        return new PartInfo(partNumber, meta.etag(), meta.size(), meta.lastModified());
    }

    /** Every part stored for an upload, by part number. */
    private Map<Integer, Blob> parts(String uploadId, String key) {
        Map<Integer, Blob> parts = new java.util.TreeMap<>();
        String prefix = MultipartNames.partPrefix(uploadId);
        com.google.api.gax.paging.Page<Blob> page = call(key, () -> storage.list(bucket,
                Storage.BlobListOption.prefix(prefix), Storage.BlobListOption.pageSize(1000)));
        for (Blob blob : page.iterateAll()) {
            int number = MultipartNames.partNumber(blob.getName(), prefix);
            if (number > 0) {
                parts.put(number, blob);
            }
        }
        return parts;
    }

    @Override
    public ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts) {
        return completeMultipartUpload(key, uploadId, parts, Preconditions.NONE);
    }

    @Override
    public ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> requested,
            Preconditions conditions) {
        checkKey(key);
        Blob marker = marker(key, uploadId);
        if (requested.isEmpty() || requested.size() > MAX_PARTS) {
            throw new S3Exception(S3ErrorCode.MalformedXML, "The upload must name between 1 and 10000 parts", key,
                    null);
        }
        Map<Integer, Blob> stored = parts(uploadId, key);
        List<Blob> sources = new ArrayList<>(requested.size());
        java.security.MessageDigest digest = md5();
        int previous = 0;
        for (CompletedPart part : requested) {
            if (part.partNumber() <= previous) {
                throw new S3Exception(S3ErrorCode.InvalidPartOrder, null, key, null);
            }
            previous = part.partNumber();
        }
        for (int i = 0; i < requested.size(); i++) {
            CompletedPart part = requested.get(i);
            Blob blob = stored.get(part.partNumber());
            String etag = blob == null ? null : etag(null, blob.getMd5(), blob.getCrc32c(), null);
            if (blob == null || !unquote(etag).equalsIgnoreCase(unquote(part.etag()))) {
                throw new S3Exception(S3ErrorCode.InvalidPart, "Part " + part.partNumber()
                        + " was not uploaded or its ETag does not match", key, null);
            }
            if (i < requested.size() - 1 && blob.getSize() != null && blob.getSize() < MIN_PART) {
                throw new S3Exception(S3ErrorCode.EntityTooSmall, null, key, null);
            }
            digest.update(Base64.getDecoder().decode(blob.getMd5()));
            sources.add(blob);
        }
        String etag = "\"" + HexFormat.of().formatHex(digest.digest()) + "-" + sources.size() + "\"";
        Long generation = writeGeneration(key, conditions);

        List<String> intermediates = new ArrayList<>();
        try {
            List<Blob> level = sources;
            int round = 0;
            while (level.size() > composeLimit) {
                List<Blob> next = new ArrayList<>();
                for (int from = 0; from < level.size(); from += composeLimit) {
                    String name = MultipartNames.intermediate(uploadId, round, from / composeLimit);
                    intermediates.add(name);
                    List<Blob> group = level.subList(from, Math.min(level.size(), from + composeLimit));
                    next.add(compose(group, BlobInfo.newBuilder(BlobId.of(bucket, name)).build(), null, key));
                }
                level = next;
                round++;
            }
            ObjectAttributes attrs = meta(key, marker).attributes();
            Blob done = compose(level, blobInfo(key, attrs, Map.of(META_ETAG, etag)), generation, key);
            cleanUp(key, uploadId, stored.values(), intermediates, true);
            return meta(key, done);
        } catch (RuntimeException e) {
            // the parts stay for another attempt; only this attempt's intermediates go
            cleanUp(key, uploadId, List.of(), intermediates, false);
            throw e;
        }
    }

    private Blob compose(List<Blob> sources, BlobInfo target, Long generation, String key) {
        Storage.ComposeRequest.Builder request = Storage.ComposeRequest.newBuilder().setTarget(target);
        for (Blob source : sources) {
            request.addSource(source.getName(), source.getGeneration());
        }
        if (generation != null) {
            request.setTargetOptions(generation == 0 ? Storage.BlobTargetOption.doesNotExist()
                    : Storage.BlobTargetOption.generationMatch(generation));
        }
        return call(key, () -> storage.compose(request.build()));
    }

    @Override
    public void abortMultipartUpload(String key, String uploadId) {
        checkKey(key);
        marker(key, uploadId);
        cleanUp(key, uploadId, parts(uploadId, key).values(), List.of(), true);
    }

    /** Deletes an upload's temporaries; what cannot be deleted is logged (and stays hidden). */
    private void cleanUp(String key, String uploadId, java.util.Collection<Blob> parts, List<String> intermediates,
            boolean withMarker) {
        List<String> names = new ArrayList<>(intermediates);
        parts.forEach(p -> names.add(p.getName()));
        if (withMarker) {
            // the marker last: while it exists, the upload can be aborted again
            names.add(MultipartNames.marker(key, uploadId));
        }
        for (int from = 0; from < names.size(); from += 100) {
            List<String> slice = names.subList(from, Math.min(names.size(), from + 100));
            StorageBatch batch = storage.batch();
            List<StorageBatchResult<Boolean>> results = new ArrayList<>();
            slice.forEach(n -> results.add(batch.delete(BlobId.of(bucket, n))));
            try {
                batch.submit();
                for (StorageBatchResult<Boolean> r : results) {
                    r.get();
                }
            } catch (BaseServiceException e) {
                if (e.getCode() != 404) {
                    LOG.warn("Cannot delete temporaries of multipart upload {} in GCS bucket {}: {}", uploadId,
                            bucket, e.getMessage());
                }
            }
        }
    }

    @Override
    public PartListing listParts(String key, String uploadId, int partNumberMarker, int maxParts) {
        checkKey(key);
        marker(key, uploadId);
        int max = maxParts <= 0 ? 1000 : maxParts;
        List<PartInfo> parts = new ArrayList<>();
        boolean truncated = false;
        for (Map.Entry<Integer, Blob> e : parts(uploadId, key).entrySet()) {
            if (e.getKey() <= partNumberMarker) {
                continue;
            }
            if (parts.size() == max) {
                truncated = true;
                break;
            }
            Blob blob = e.getValue();
            ObjectMeta meta = meta(blob.getName(), blob);
            parts.add(new PartInfo(e.getKey(), meta.etag(), meta.size(), meta.lastModified()));
        }
        return new PartListing(parts, truncated, truncated ? parts.get(parts.size() - 1).partNumber() : 0);
    }

    @Override
    public UploadListing listMultipartUploads(String prefix, String keyMarker, String uploadIdMarker,
            int maxUploads) {
        int max = maxUploads <= 0 ? 1000 : maxUploads;
        List<Storage.BlobListOption> options = new ArrayList<>();
        options.add(Storage.BlobListOption.prefix(MultipartNames.markerPrefix(prefix == null ? "" : prefix)));
        options.add(Storage.BlobListOption.pageSize(Math.min(1000, max + 1)));
        String after = keyMarker == null || keyMarker.isEmpty() ? null
                : MultipartNames.markerAfter(keyMarker, uploadIdMarker);
        if (after != null) {
            options.add(Storage.BlobListOption.startOffset(after));
        }
        com.google.api.gax.paging.Page<Blob> page = callOnBucket(prefix, () -> storage.list(bucket,
                options.toArray(new Storage.BlobListOption[0])));
        List<UploadInfo> uploads = new ArrayList<>();
        boolean truncated = false;
        for (Blob blob : page.iterateAll()) {
            if (blob.getName().equals(after)) {
                continue;
            }
            UploadInfo upload = MultipartNames.parseMarker(blob.getName(),
                    blob.getCreateTimeOffsetDateTime() == null ? null
                            : blob.getCreateTimeOffsetDateTime().toInstant());
            if (upload == null) {
                continue;
            }
            if (uploads.size() == max) {
                truncated = true;
                break;
            }
            uploads.add(upload);
        }
        UploadInfo last = uploads.isEmpty() ? null : uploads.get(uploads.size() - 1);
        return new UploadListing(uploads, truncated, truncated ? last.key() : null,
                truncated ? last.uploadId() : null);
    }

    // ------------------------------------------------------------------------------------------------ buckets

    @Override
    public void createBucket() {
        try {
            storage.create(BucketInfo.of(bucket));
        } catch (BaseServiceException e) {
            if (e.getCode() != 409) {
                throw GcsErrors.translate(e, bucket);
            }
            // exists already: S3 (us-east-1) succeeds too
        }
    }

    @Override
    public void deleteBucket() {
        boolean deleted = call(bucket, () -> storage.delete(bucket));
        if (!deleted) {
            throw new S3Exception(S3ErrorCode.NoSuchBucket, "The backend bucket does not exist", null,
                    GcsErrors.STORE + ": bucket " + bucket + " does not exist", null);
        }
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            LOG.debug("Closing the GCS client of bucket {} failed", bucket, e);
        }
        LOG.debug("Closed GCS store for bucket {}", bucket);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void checkKey(String key) {
        if (MultipartNames.hidden(key)) {
            throw reservedKey(key);
        }
    }

    private static S3Exception reservedKey(String key) {
        return new S3Exception(S3ErrorCode.InvalidArgument, "Keys under " + MultipartNames.ROOT
                + " are reserved for multipart uploads on this backend", key, null);
    }

    private static <T> T call(String resource, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (BaseServiceException e) {
            throw GcsErrors.translate(e, resource);
        }
    }

    private static <T> T callOnBucket(String resource, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (BaseServiceException e) {
            throw GcsErrors.translateForBucket(e, resource);
        }
    }

    private static String unquote(String etag) {
        String t = etag == null ? "" : etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static java.security.MessageDigest md5() {
        try {
            return java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
