package io.multistore.backend.s3.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ContentRange;
import io.multistore.api.backend.DeleteResult;
import io.multistore.api.backend.VersionListRequest;
import io.multistore.api.backend.VersionListing;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.PartListing;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.UploadInfo;
import io.multistore.api.backend.UploadListing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import io.multistore.lib.dataplane.BackendResponse;
import io.multistore.lib.dataplane.ErrorBody;
import io.multistore.lib.dataplane.HttpTransport;
import io.multistore.lib.dataplane.OutboundBody;
import io.multistore.lib.dataplane.StoreErrors;
import io.multistore.lib.dataplane.StoreHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One backend bucket on S3 or an S3-compatible store. Thread-safe.
 * <p>
 * Two planes: object bodies (GET, HEAD, PUT, UploadPart) go through {@link S3DataPlane}, one signed HTTP exchange
 * each on the shared transport; everything else (listing, copy, multipart create/complete/abort/list, delete) goes
 * through the SDK's {@link S3Client}, which also resolves the credentials both planes sign with. The SDK client has a
 * small connection pool of its own, released by {@link #close()}.
 * <p>
 * Uploads stream: a body of known length goes to S3 as it arrives (retried only while none of it was sent: a
 * consumed client stream cannot be replayed). A body of unknown length is cut into {@value #PART_SIZE}-byte parts
 * of a multipart upload, one part buffer in memory at a time, so S3 always gets a length; a body shorter than one
 * part becomes a plain PutObject. If the client's stream fails, the upload is aborted and nothing is stored.
 */
final class S3ObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

    /** Part size for bodies of unknown length (S3 needs at least 5 MiB for all parts but the last). */
    static final int PART_SIZE = 8 * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    /** Sorts after every key under a prefix in S3's UTF-8 byte order (U+10FFFF encodes as F4 8F BF BF). */
    private static final String AFTER_ALL = "\uDBFF\uDFFF";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String META = "x-amz-meta-";

    private final S3Client client;
    private final SdkHttpClient httpClient;
    private final AwsCredentialsProvider credentials;
    private final S3DataPlane data;
    private final String bucket;
    private final S3StoreOptions options;
    private final S3Versions versions;
    private static final long VERSIONING_TTL_NANOS = 60_000_000_000L;
    private volatile boolean versioned;
    private volatile long versioningCheckedAt;

    private S3ObjectStore(S3Client client, SdkHttpClient httpClient, AwsCredentialsProvider credentials,
            S3DataPlane data, S3StoreOptions options) {
        this.client = client;
        this.httpClient = httpClient;
        this.credentials = credentials;
        this.data = data;
        this.bucket = options.bucketName();
        this.options = options;
        this.versions = new S3Versions(client, bucket);
    }

    /**
     * @throws IllegalArgumentException when the SDK refuses the options (the caller reports it)
     */
    static S3ObjectStore open(S3StoreOptions options, HttpTransport transport) {
        return open(options, transport, null);
    }

    /**
     * @param sourced the credentials of a bucket with an {@code auth_type}, or {@code null} to take them from the
     *                options
     * @throws IllegalArgumentException when the SDK refuses the options (the caller reports it)
     */
    static S3ObjectStore open(S3StoreOptions options, HttpTransport transport, AwsCredentialsProvider sourced) {
        // the control plane's own pool: listings, copies and multipart control only
        SdkHttpClient http = ApacheHttpClient.builder()
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(10))
                .connectionAcquisitionTimeout(Duration.ofSeconds(30))
                .socketTimeout(Duration.ofSeconds(60))
                .connectionMaxIdleTime(Duration.ofSeconds(60))
                .tcpKeepAlive(true)
                .expectContinueEnabled(false)
                .build();
        AwsCredentialsProvider credentials = sourced != null ? sourced : credentials(options);
        try {
            S3ClientBuilder builder = S3Client.builder()
                    .httpClient(http)
                    .region(Region.of(options.region()))
                    .credentialsProvider(credentials)
                    // checksums only where S3 demands them: the default (a trailing CRC of every upload and a
                    // validated CRC of every download) adds work per byte and, over http, buffering
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD));
            if (options.endpoint() != null) {
                builder.endpointOverride(options.endpoint()).forcePathStyle(!options.virtualHosted());
            } else {
                builder.forcePathStyle(!options.virtualHosted());
            }
            S3Client client = builder.build();
            LOG.debug("Opened S3 store {}", options);
            return new S3ObjectStore(client, http, credentials, new S3DataPlane(transport, credentials, options),
                    options);
        } catch (RuntimeException e) {
            http.close();
            closeCredentials(credentials);
            throw new IllegalArgumentException("cannot create an S3 client: " + e.getMessage(), e);
        }
    }

    private static AwsCredentialsProvider credentials(S3StoreOptions options) {
        if (options.hasStaticCredentials()) {
            return StaticCredentialsProvider.create(options.sessionToken() == null
                    ? AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey())
                    : AwsSessionCredentials.create(options.accessKeyId(), options.secretAccessKey(),
                            options.sessionToken()));
        }
        if (options.skipSignature()) {
            return AnonymousCredentialsProvider.create();
        }
        // neither keys nor skip_signature: the host's own identity (environment, profile, instance role)
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public ObjectMeta head(String key, Preconditions conditions) {
        return headVersion(key, null, conditions);
    }

    @Override
    public ObjectMeta headVersion(String key, String versionId, Preconditions conditions) {
        try (BackendResponse response = exchange(SdkHttpMethod.HEAD, key, versionQuery(versionId),
                readConditions(null, conditions), null)) {
            ObjectMeta meta = meta(key, response, StoreHeaders.parseLong(response.header("Content-Length")));
            if (conditions != null) {
                // S3 evaluated them already; stores that ignore conditional headers are caught here
                conditions.checkRead(meta);
            }
            return meta;
        }
    }

    @Override
    public ObjectContent get(String key, ByteRange range, Preconditions conditions) {
        return getVersion(key, null, range, conditions);
    }

    @Override
    public ObjectContent getVersion(String key, String versionId, ByteRange range, Preconditions conditions) {
        BackendResponse response = exchange(SdkHttpMethod.GET, key, versionQuery(versionId),
                readConditions(range, conditions), null);
        try {
            long length = Math.max(0, response.contentLength());
            // a store that ignores Range answers 200 with the whole object: then served is null and so is the range
            ContentRange served = response.status() == 206
                    ? StoreHeaders.parseContentRange(response.header("Content-Range")) : null;
            ObjectMeta meta = meta(key, response, served != null ? served.total() : length);
            if (conditions != null) {
                conditions.checkRead(meta);
            }
            return new ObjectContent(meta, response.body(), served);
        } catch (RuntimeException e) {
            response.close();
            throw e;
        }
    }

    /*
     * Read conditions go to the store so that a 304/412 costs no body transfer, normalised the way S3 reads them
     * (quoted tags; a date condition yields to its entity-tag counterpart, RFC 9110 section 13.2.2). If-Match: *
     * holds for any existing object and is left to the local check, as some S3-compatible stores reject it. Every
     * read is checked locally as well, for stores that ignore conditional headers.
     */
    private static Map<String, String> readConditions(ByteRange range, Preconditions conditions) {
        if (range == null && (conditions == null || conditions.isEmpty())) {
            return S3Checksums.MODE;
        }
        Map<String, String> headers = new HashMap<>(S3Checksums.MODE);
        if (range != null) {
            headers.put("Range", range.header());
        }
        if (conditions != null && !conditions.isEmpty()) {
            putIfSet(headers, "If-Match", ifMatchHeader(conditions));
            putIfSet(headers, "If-None-Match", ifNoneMatchHeader(conditions));
            if (conditions.ifNoneMatch().isEmpty() && conditions.ifModifiedSince() != null) {
                headers.put("If-Modified-Since", StoreHeaders.formatDate(conditions.ifModifiedSince()));
            }
            if (conditions.ifMatch().isEmpty() && conditions.ifUnmodifiedSince() != null) {
                headers.put("If-Unmodified-Since", StoreHeaders.formatDate(conditions.ifUnmodifiedSince()));
            }
        }
        return headers;
    }

    private static ObjectMeta meta(String key, BackendResponse response, long size) {
        String etag = quote(response.header("ETag"));
        return new ObjectMeta(key, size, etag,
                StoreHeaders.parseDate(response.header("Last-Modified")),
                new ObjectAttributes(response.header("Content-Type"), response.header("Content-Encoding"),
                        response.header("Content-Disposition"), response.header("Content-Language"),
                        response.header("Cache-Control"), response.header("Expires"),
                        StoreHeaders.userMetadata(response, META)),
                response.header("x-amz-version-id"), tagCount(response.header("x-amz-tagging-count")),
                S3Checksums.fromHeaders(response, etag));
    }

    private static Map<String, String> versionQuery(String versionId) {
        return versionId == null ? Map.of() : Map.of("versionId", versionId);
    }

    private static int tagCount(String header) {
        try {
            return header == null ? 0 : Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * {@code partNumber} goes to S3, which knows the parts' sizes. A store that does not serve it (S3Proxy answers
     * 501, or ignores it and sends the whole object) still gets part 1 of an object written in one piece served, by
     * the default.
     */
    @Override
    public ObjectContent headPart(String key, int partNumber, Preconditions conditions) {
        ObjectContent part = storePart(SdkHttpMethod.HEAD, key, partNumber, conditions);
        return part != null ? part : ObjectStore.super.headPart(key, partNumber, conditions);
    }

    @Override
    public ObjectContent getPart(String key, int partNumber, Preconditions conditions) {
        ObjectContent part = storePart(SdkHttpMethod.GET, key, partNumber, conditions);
        return part != null ? part : ObjectStore.super.getPart(key, partNumber, conditions);
    }

    /** One part as the store serves it, or {@code null} when the store does not serve {@code partNumber}. */
    private ObjectContent storePart(SdkHttpMethod method, String key, int partNumber, Preconditions conditions) {
        BackendResponse response;
        try {
            response = exchange(method, key, Map.of("partNumber", Integer.toString(partNumber)),
                    readConditions(null, conditions), null);
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.InvalidRange || e.code() == S3ErrorCode.InvalidPart) {
                // S3's 416 here is InvalidPartNumber (a HEAD answer has no body to say so); S3Proxy says InvalidPart
                throw new S3Exception(S3ErrorCode.InvalidPartNumber, S3ErrorCode.InvalidPartNumber.defaultMessage(),
                        key, e);
            }
            if (e.code() == S3ErrorCode.NotImplemented) {
                return null;
            }
            throw e;
        }
        try {
            ContentRange served = StoreHeaders.parseContentRange(response.header("Content-Range"));
            if (response.status() != 206 || served == null) {
                response.close();
                return null;
            }
            ObjectMeta meta = meta(key, response, served.total());
            conditions.checkRead(meta);
            if (method == SdkHttpMethod.HEAD) {
                response.close();
                return new ObjectContent(meta, InputStream.nullInputStream(), served);
            }
            return new ObjectContent(meta, response.body(), served);
        } catch (RuntimeException e) {
            response.close();
            throw e;
        }
    }

    /**
     * One data-plane exchange that must succeed: a connection failure becomes the client body's own failure if it
     * had one, else {@code ServiceUnavailable}; an answer other than 2xx becomes the S3 error both planes map it to.
     */
    private BackendResponse exchange(SdkHttpMethod method, String key, Map<String, String> query,
            Map<String, String> headers, OutboundBody body) {
        return exchange(method, key, query, headers, body, null);
    }

    private BackendResponse exchange(SdkHttpMethod method, String key, Map<String, String> query,
            Map<String, String> headers, OutboundBody body, String trailerChecksum) {
        BackendResponse response;
        try {
            response = data.send(method, key, query, headers, body, trailerChecksum);
        } catch (IOException | UncheckedIOException e) {
            S3Exception bodyFailure = body == null ? null : body.failure(key);
            if (bodyFailure != null) {
                throw bodyFailure;
            }
            throw StoreErrors.unreachable(S3Errors.STORE, e instanceof UncheckedIOException u ? u.getCause()
                    : (IOException) e, key);
        } catch (SdkException e) {
            // resolving the credentials failed (the default chain found none, a refresh failed)
            throw S3Errors.translate(e, key);
        }
        int status = response.status();
        if (status >= 200 && status < 300) {
            return response;
        }
        ErrorBody error = method == SdkHttpMethod.HEAD ? new ErrorBody(null, null) : ErrorBody.read(response);
        response.close();
        S3Exception bodyFailure = body == null ? null : body.failure(key);
        if (bodyFailure != null) {
            throw bodyFailure;
        }
        throw S3Errors.fromAnswer(status, error.code(), error.message(), key, null);
    }

    @Override
    public ObjectMeta put(String key, ObjectBody body, ObjectAttributes attributes, Preconditions conditions) {
        ObjectAttributes attrs = attributes == null ? ObjectAttributes.NONE : attributes;
        Preconditions conds = conditions == null ? Preconditions.NONE : conditions;
        if (!conds.isEmpty()) {
            // S3 checks If-Match / If-None-Match: * atomically with the write; checking first as well gives the
            // S3 error codes (NoSuchKey for If-Match on an absent key) on stores that ignore the headers
            conds.checkWrite(headOrNull(key));
        }
        if (body.length() < 0) {
            return putUnknownLength(key, body.stream(), attrs, conds);
        }
        return putObject(key, OutboundBody.stream(body.stream(), body.length()), attrs, conds,
                body.checksum().get());
    }

    private ObjectMeta putObject(String key, OutboundBody body, ObjectAttributes attrs, Preconditions conds) {
        return putObject(key, body, attrs, conds, null);
    }

    private ObjectMeta putObject(String key, OutboundBody body, ObjectAttributes attrs, Preconditions conds,
            ObjectChecksum checksum) {
        Map<String, String> headers = new HashMap<>(putHeaders(attrs, conds));
        S3Checksums.putUpFront(headers, checksum);
        try (BackendResponse response = exchange(SdkHttpMethod.PUT, key, Map.of(), headers, body,
                S3Checksums.trailer(checksum))) {
            return new ObjectMeta(key, body.length(), quote(response.header("ETag")), Instant.now(), attrs,
                    response.header("x-amz-version-id"), attrs.tags() == null ? 0 : attrs.tags().size());
        }
    }

    private ObjectMeta putUnknownLength(String key, InputStream in, ObjectAttributes attrs, Preconditions conds) {
        byte[] buffer = new byte[PART_SIZE];
        int n = OutboundBody.fill(in, buffer, key);
        if (n < PART_SIZE) {
            return putObject(key, OutboundBody.of(buffer, 0, n), attrs, conds);
        }
        String uploadId = createMultipartUpload(key, attrs);
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int length = n;
            while (length > 0) {
                if (parts.size() == MAX_PARTS) {
                    throw new S3Exception(S3ErrorCode.EntityTooLarge, "a body of unknown length may be at most "
                            + (long) MAX_PARTS * PART_SIZE + " bytes", key, null);
                }
                int partNumber = parts.size() + 1;
                PartInfo part = sendPart(key, uploadId, partNumber, OutboundBody.of(buffer, 0, length));
                parts.add(new CompletedPart(partNumber, part.etag()));
                total += length;
                length = OutboundBody.fill(in, buffer, key);
            }
            long size = total;
            CompleteMultipartUploadResponse response = call(key, () -> client.completeMultipartUpload(b -> b
                    .bucket(bucket).key(key).uploadId(uploadId)
                    .ifMatch(single(conds.ifMatch()))
                    .ifNoneMatch(star(conds.ifNoneMatch()))
                    .multipartUpload(completed(parts))));
            return new ObjectMeta(key, size, quote(response.eTag()), Instant.now(), attrs, response.versionId(),
                    attrs.tags() == null ? 0 : attrs.tags().size());
        } catch (RuntimeException e) {
            abortQuietly(key, uploadId);
            throw e;
        }
    }

    /** PutObject's headers, as the SDK's PutObjectRequest would send them. */
    private static Map<String, String> putHeaders(ObjectAttributes attrs, Preconditions conds) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", contentType(attrs));
        putIfSet(headers, "Content-Encoding", attrs.contentEncoding());
        putIfSet(headers, "Content-Disposition", attrs.contentDisposition());
        putIfSet(headers, "Content-Language", attrs.contentLanguage());
        putIfSet(headers, "Cache-Control", attrs.cacheControl());
        // passed through as sent: S3 stores Expires as an opaque string
        putIfSet(headers, "Expires", attrs.expires());
        putIfSet(headers, "If-Match", single(conds.ifMatch()));
        putIfSet(headers, "If-None-Match", star(conds.ifNoneMatch()));
        attrs.userMetadata().forEach((name, value) -> headers.put(META + name, value));
        if (attrs.tags() != null && !attrs.tags().isEmpty()) {
            headers.put("x-amz-tagging", S3Versions.taggingHeader(attrs.tags()));
        }
        return headers;
    }

    private static void putIfSet(Map<String, String> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

    @Override
    public void delete(String key) {
        call(key, () -> client.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    // versions and tags: the SDK's calls, translated by S3Versions

    /**
     * Whether the backend bucket has ever had versioning on (GetBucketVersioning reports a status), checked at most
     * once a minute: a bucket that never had it is served as S3 serves one, and so is a store without versions
     * (S3Proxy answers an empty configuration). When the store will not say (credentials limited to objects, a
     * store without the call), version requests pass through and the store answers them itself.
     */
    @Override
    public boolean supportsVersions() {
        long now = System.nanoTime();
        long checked = versioningCheckedAt;
        if (checked == 0 || now - checked > VERSIONING_TTL_NANOS) {
            boolean result;
            try {
                result = versions.status() != null;
            } catch (S3Exception e) {
                LOG.debug("GetBucketVersioning of {} failed ({}); passing version requests through", bucket,
                        e.getMessage());
                result = true;
            }
            versioned = result;
            versioningCheckedAt = now == 0 ? 1 : now;
        }
        return versioned;
    }

    @Override
    public String versioningStatus() {
        return versions.status();
    }

    @Override
    public void putVersioning(String status) {
        versions.putStatus(status);
        versioned = true;
        versioningCheckedAt = System.nanoTime();
    }

    @Override
    public DeleteResult deleteVersion(String key, String versionId) {
        return versions.delete(key, versionId);
    }

    @Override
    public VersionListing listVersions(VersionListRequest request) {
        return versions.list(request);
    }

    @Override
    public boolean supportsTags() {
        return true;
    }

    @Override
    public Map<String, String> getTags(String key, String versionId) {
        return versions.tags(key, versionId);
    }

    @Override
    public String putTags(String key, String versionId, Map<String, String> tags) {
        return versions.putTags(key, versionId, tags);
    }

    @Override
    public ListPage list(ListRequest request) {
        ListObjectsV2Request.Builder builder = ListObjectsV2Request.builder().bucket(bucket)
                // keys travel URL-encoded (the SDK decodes them): XML 1.0 cannot carry every character a key may hold
                .encodingType(EncodingType.URL)
                .prefix(request.prefix().isEmpty() ? null : request.prefix())
                .delimiter(request.delimiter())
                .maxKeys(request.maxKeys())
                .continuationToken(request.continuationToken());
        String skippedPrefix = null;
        if (request.continuationToken() == null && request.startAfter() != null) {
            String startAfter = request.startAfter();
            if (request.delimiter() != null && startAfter.endsWith(request.delimiter())) {
                // a common prefix as start-after skips everything under it, which S3's start-after does not
                skippedPrefix = startAfter;
                startAfter = startAfter + AFTER_ALL;
            }
            builder.startAfter(startAfter);
        }
        ListObjectsV2Response response = call(request.prefix(), () -> client.listObjectsV2(builder.build()));
        List<ObjectSummary> objects = new ArrayList<>();
        for (S3Object o : response.contents()) {
            if (skippedPrefix == null || !o.key().startsWith(skippedPrefix)) {
                objects.add(new ObjectSummary(o.key(), orZero(o.size()), quote(o.eTag()), o.lastModified()));
            }
        }
        List<String> prefixes = new ArrayList<>();
        for (CommonPrefix p : response.commonPrefixes()) {
            if (!p.prefix().equals(skippedPrefix)) {
                prefixes.add(p.prefix());
            }
        }
        boolean truncated = Boolean.TRUE.equals(response.isTruncated());
        return new ListPage(objects, prefixes, truncated, truncated ? response.nextContinuationToken() : null);
    }

    @Override
    public ObjectMeta copy(String sourceKey, Preconditions sourceConditions, String targetKey,
            ObjectAttributes attributes) {
        return copyVersion(sourceKey, null, sourceConditions, targetKey, attributes);
    }

    @Override
    public ObjectMeta copyVersion(String sourceKey, String sourceVersionId, Preconditions sourceConditions,
            String targetKey, ObjectAttributes attributes) {
        return copy(bucket, sourceKey, sourceVersionId, sourceConditions, targetKey, attributes);
    }

    /** Server-side when the source store is on the same endpoint with the same account, else streamed. */
    @Override
    public ObjectMeta copyFrom(ObjectStore source, String sourceKey, Preconditions sourceConditions,
            String targetKey, ObjectAttributes attributes) {
        if (source instanceof S3ObjectStore s3 && sameAccount(s3)) {
            return copy(s3.bucket, sourceKey, null, sourceConditions, targetKey, attributes);
        }
        return ObjectStore.super.copyFrom(source, sourceKey, sourceConditions, targetKey, attributes);
    }

    /** UploadPartCopy on the store when the source is on the same endpoint with the same account, else streamed. */
    @Override
    public PartInfo uploadPartCopy(ObjectStore source, String sourceKey, ByteRange range,
            Preconditions sourceConditions, String key, String uploadId, int partNumber) {
        if (!(source instanceof S3ObjectStore s3) || !sameAccount(s3)) {
            return ObjectStore.super.uploadPartCopy(source, sourceKey, range, sourceConditions, key, uploadId,
                    partNumber);
        }
        Preconditions conditions = sourceConditions == null ? Preconditions.NONE : sourceConditions;
        if (range != null || !conditions.isEmpty()) {
            // checked here as well: some S3-compatible stores clamp the range or ignore copy-source conditions
            ObjectMeta meta = s3.head(sourceKey, conditions);
            if (range != null && range.last() >= meta.size()) {
                throw new S3Exception(S3ErrorCode.InvalidRange, "Range specified is not valid for source object "
                        + "of size: " + meta.size(), sourceKey, null);
            }
        }
        UploadPartCopyResponse response = call(sourceKey, () -> client.uploadPartCopy(b -> b
                .sourceBucket(s3.bucket).sourceKey(sourceKey)
                .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(partNumber)
                .copySourceRange(range == null ? null : range.header())
                .copySourceIfMatch(join(conditions.ifMatch()))
                .copySourceIfNoneMatch(join(conditions.ifNoneMatch()))
                .copySourceIfModifiedSince(conditions.ifModifiedSince())
                .copySourceIfUnmodifiedSince(conditions.ifUnmodifiedSince())));
        CopyPartResult result = response.copyPartResult();
        return new PartInfo(partNumber, quote(result.eTag()), range == null ? -1 : range.last() - range.first() + 1,
                result.lastModified());
    }

    /**
     * Whether a request signed for this store may read {@code other}'s bucket: the same endpoint and region with
     * the same credentials (or both on the host's own identity).
     */
    boolean sameAccount(S3ObjectStore other) {
        S3StoreOptions a = options;
        S3StoreOptions b = other.options;
        return java.util.Objects.equals(a.endpoint(), b.endpoint()) && a.region().equals(b.region())
                && java.util.Objects.equals(a.accessKeyId(), b.accessKeyId())
                && java.util.Objects.equals(a.secretAccessKey(), b.secretAccessKey())
                && java.util.Objects.equals(a.sessionToken(), b.sessionToken())
                && a.skipSignature() == b.skipSignature();
    }

    private ObjectMeta copy(String sourceBucket, String sourceKey, String sourceVersionId,
            Preconditions sourceConditions, String targetKey, ObjectAttributes attributes) {
        CopyObjectRequest.Builder request = CopyObjectRequest.builder()
                .sourceBucket(sourceBucket).sourceKey(sourceKey).sourceVersionId(sourceVersionId)
                .destinationBucket(bucket).destinationKey(targetKey);
        if (attributes != null && attributes.tags() != null) {
            request.taggingDirective(TaggingDirective.REPLACE)
                    .tagging(S3Versions.taggingHeader(attributes.tags()));
        }
        if (sourceConditions != null && !sourceConditions.isEmpty()) {
            // S3 answers 412 for every failed copy-source condition, as the SPI's copy expects
            request.copySourceIfMatch(join(sourceConditions.ifMatch()))
                    .copySourceIfNoneMatch(join(sourceConditions.ifNoneMatch()))
                    .copySourceIfModifiedSince(sourceConditions.ifModifiedSince())
                    .copySourceIfUnmodifiedSince(sourceConditions.ifUnmodifiedSince());
        }
        if (attributes == null) {
            request.metadataDirective(MetadataDirective.COPY);
        } else {
            request.metadataDirective(MetadataDirective.REPLACE)
                    .contentType(attributes.contentType())
                    .contentEncoding(attributes.contentEncoding())
                    .contentDisposition(attributes.contentDisposition())
                    .contentLanguage(attributes.contentLanguage())
                    .cacheControl(attributes.cacheControl())
                    .metadata(attributes.userMetadata());
            if (attributes.expires() != null) {
                request.overrideConfiguration(o -> o.putHeader("Expires", attributes.expires()));
            }
        }
        String version = call(sourceKey, () -> client.copyObject(request.build())).versionId();
        // CopyObject reports no size: the copy's HEAD does
        return headVersion(targetKey, version, Preconditions.NONE);
    }

    @Override
    public String createMultipartUpload(String key, ObjectAttributes attributes) {
        return createMultipartUpload(key, attributes, null);
    }

    @Override
    public String createMultipartUpload(String key, ObjectAttributes attributes, ObjectChecksum checksum) {
        ObjectAttributes attrs = attributes == null ? ObjectAttributes.NONE : attributes;
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(bucket).key(key)
                .contentType(attrs.contentType())
                .contentEncoding(attrs.contentEncoding())
                .contentDisposition(attrs.contentDisposition())
                .contentLanguage(attrs.contentLanguage())
                .cacheControl(attrs.cacheControl());
        if (!attrs.userMetadata().isEmpty()) {
            request.metadata(attrs.userMetadata());
        }
        if (attrs.expires() != null) {
            request.overrideConfiguration(o -> o.putHeader("Expires", attrs.expires()));
        }
        if (attrs.tags() != null && !attrs.tags().isEmpty()) {
            request.tagging(S3Versions.taggingHeader(attrs.tags()));
        }
        if (checksum != null) {
            request.checksumAlgorithm(checksum.algorithm()).checksumType(checksum.type());
        }
        return call(key, () -> client.createMultipartUpload(request.build())).uploadId();
    }

    @Override
    public PartInfo uploadPart(String key, String uploadId, int partNumber, ObjectBody body) {
        if (body.length() < 0) {
            return uploadSpooledPart(key, uploadId, partNumber, body.stream());
        }
        return sendPart(key, uploadId, partNumber, OutboundBody.stream(body.stream(), body.length()),
                body.checksum().get());
    }

    private PartInfo sendPart(String key, String uploadId, int partNumber, OutboundBody body) {
        return sendPart(key, uploadId, partNumber, body, null);
    }

    private PartInfo sendPart(String key, String uploadId, int partNumber, OutboundBody body,
            ObjectChecksum checksum) {
        Map<String, String> query = Map.of("partNumber", Integer.toString(partNumber), "uploadId", uploadId);
        Map<String, String> headers = new HashMap<>();
        S3Checksums.putUpFront(headers, checksum);
        try (BackendResponse response = exchange(SdkHttpMethod.PUT, key, query, headers, body,
                S3Checksums.trailer(checksum))) {
            return new PartInfo(partNumber, quote(response.header("ETag")), body.length(), Instant.now());
        }
    }

    /**
     * A part of unknown length goes through a temporary file: parts may be up to 5 GiB, too much for memory, and
     * S3 needs each part's length up front.
     */
    private PartInfo uploadSpooledPart(String key, String uploadId, int partNumber, InputStream in) {
        Path spool = null;
        try {
            spool = Files.createTempFile("multistore-part-", ".tmp");
            long length;
            try (OutputStream out = Files.newOutputStream(spool)) {
                length = in.transferTo(out);
            } catch (IOException | RuntimeException e) {
                if (e instanceof S3Exception s3) {
                    throw s3;
                }
                throw new S3Exception(S3ErrorCode.IncompleteBody, "reading the request body failed: "
                        + e.getMessage(), key, e);
            }
            try (InputStream file = Files.newInputStream(spool)) {
                return sendPart(key, uploadId, partNumber, OutboundBody.stream(file, length));
            }
        } catch (IOException e) {
            throw new S3Exception(S3ErrorCode.InternalError, "cannot spool an upload part: " + e.getMessage(), key,
                    e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    LOG.warn("Cannot delete spooled part {}", spool, e);
                }
            }
        }
    }

    @Override
    public ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts) {
        call(key, () -> client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(completed(parts))));
        // the completion answer has no size or date: HEAD has both
        return head(key, Preconditions.NONE);
    }

    @Override
    public void abortMultipartUpload(String key, String uploadId) {
        call(key, () -> client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)));
    }

    @Override
    public PartListing listParts(String key, String uploadId, int partNumberMarker, int maxParts) {
        ListPartsResponse response = call(key, () -> client.listParts(b -> b.bucket(bucket).key(key)
                .uploadId(uploadId)
                .partNumberMarker(partNumberMarker > 0 ? partNumberMarker : null)
                .maxParts(maxParts > 0 ? maxParts : null)));
        List<PartInfo> parts = new ArrayList<>();
        for (Part p : response.parts()) {
            parts.add(new PartInfo(p.partNumber(), quote(p.eTag()), orZero(p.size()), p.lastModified(),
                    S3Checksums.ofPart(p)));
        }
        boolean truncated = Boolean.TRUE.equals(response.isTruncated());
        int next = response.nextPartNumberMarker() == null ? 0 : response.nextPartNumberMarker();
        return new PartListing(parts, truncated, next, S3Checksums.ofUpload(response));
    }

    @Override
    public UploadListing listMultipartUploads(String prefix, String keyMarker, String uploadIdMarker,
            int maxUploads) {
        ListMultipartUploadsResponse response = call(prefix, () -> client.listMultipartUploads(b -> b
                .bucket(bucket)
                .encodingType(EncodingType.URL)
                .prefix(prefix == null || prefix.isEmpty() ? null : prefix)
                .keyMarker(keyMarker == null || keyMarker.isEmpty() ? null : keyMarker)
                .uploadIdMarker(uploadIdMarker == null || uploadIdMarker.isEmpty() ? null : uploadIdMarker)
                .maxUploads(maxUploads > 0 ? maxUploads : null)));
        List<UploadInfo> uploads = new ArrayList<>();
        for (MultipartUpload u : response.uploads()) {
            uploads.add(new UploadInfo(u.key(), u.uploadId(), u.initiated()));
        }
        boolean truncated = Boolean.TRUE.equals(response.isTruncated());
        return new UploadListing(uploads, truncated, truncated ? response.nextKeyMarker() : null,
                truncated ? response.nextUploadIdMarker() : null);
    }

    /**
     * CreateBucket: creates the backend bucket in the configured region; one this account already owns is
     * success, as S3 answers in {@code us-east-1}.
     */
    @Override
    public void createBucket() {
        try {
            client.createBucket(b -> {
                b.bucket(bucket);
                if (!S3StoreOptions.DEFAULT_REGION.equals(options.region())) {
                    b.createBucketConfiguration(c -> c.locationConstraint(options.region()));
                }
            });
            LOG.info("Created backend bucket {}", bucket);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (!"BucketAlreadyOwnedByYou".equals(code)) {
                throw S3Errors.translate(e, bucket);
            }
        } catch (SdkException e) {
            throw S3Errors.translate(e, bucket);
        }
    }

    /** DeleteBucket: removes the backend bucket, which must be empty ({@code BucketNotEmpty} from S3). */
    @Override
    public void deleteBucket() {
        call(bucket, () -> client.deleteBucket(b -> b.bucket(bucket)));
        LOG.info("Deleted backend bucket {}", bucket);
    }

    /** The names of the buckets this store's account owns on its endpoint (ListBuckets). */
    List<String> backendBuckets() {
        List<String> names = new ArrayList<>();
        for (software.amazon.awssdk.services.s3.model.Bucket b : call(bucket, () -> client.listBuckets())
                .buckets()) {
            names.add(b.name());
        }
        return names;
    }

    @Override
    public void close() {
        // the SDK does not close an HTTP client it was given
        closeQuietly(client);
        closeQuietly(httpClient);
        closeCredentials(credentials);
        LOG.debug("Closed S3 store for bucket {}", bucket);
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            LOG.warn("Cannot abort multipart upload {} of {}/{}; the store's lifecycle rules must clean it up",
                    uploadId, bucket, key, e);
        }
    }

    static <T> T call(String resource, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException e) {
            throw S3Errors.translate(e, resource);
        } catch (UncheckedIOException e) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, "S3 backend I/O failed: " + e.getMessage(),
                    resource, e);
        }
    }

    private static CompletedMultipartUpload completed(List<CompletedPart> parts) {
        List<software.amazon.awssdk.services.s3.model.CompletedPart> list = new ArrayList<>(parts.size());
        for (CompletedPart p : parts) {
            list.add(S3Checksums.completed(software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                    .partNumber(p.partNumber()).eTag(quote(p.etag())), p).build());
        }
        return CompletedMultipartUpload.builder().parts(list).build();
    }

    private static ObjectAttributes attributes(String contentType, String contentEncoding,
            String contentDisposition, String contentLanguage, String cacheControl, String expires,
            Map<String, String> metadata) {
        Map<String, String> user = new HashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> user.put(k.toLowerCase(Locale.ROOT), v));
        }
        return new ObjectAttributes(contentType, contentEncoding, contentDisposition, contentLanguage,
                cacheControl, expires, user);
    }

    private static String contentType(ObjectAttributes attrs) {
        return attrs.contentType() != null ? attrs.contentType() : OCTET_STREAM;
    }

    /** S3 sends entity tags quoted; some compatible stores do not. */
    static String quote(String etag) {
        if (etag == null || etag.isEmpty()) {
            return etag;
        }
        return etag.startsWith("\"") || etag.startsWith("W/\"") ? etag : "\"" + etag + "\"";
    }

    private static String join(List<String> tags) {
        return tags.isEmpty() ? null : String.join(", ", tags.stream().map(t -> t.trim().equals("*") ? "*"
                : quote(t.trim())).toList());
    }

    private static String ifMatchHeader(Preconditions conditions) {
        return conditions.ifMatch().stream().anyMatch(t -> t.trim().equals("*")) ? null : join(conditions.ifMatch());
    }

    private static String ifNoneMatchHeader(Preconditions conditions) {
        return join(conditions.ifNoneMatch());
    }

    /** S3 conditional writes take one entity tag for If-Match. */
    private static String single(List<String> tags) {
        return tags.size() == 1 && !tags.get(0).trim().equals("*") ? quote(tags.get(0).trim()) : null;
    }

    /** S3 conditional writes accept only {@code If-None-Match: *}. */
    private static String star(List<String> tags) {
        return tags.stream().anyMatch(t -> t.trim().equals("*")) ? "*" : null;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Closing {} failed", closeable, e);
        }
    }

    /** The default chain holds refreshing providers (instance metadata, SSO) that own threads. */
    private static void closeCredentials(AwsCredentialsProvider credentials) {
        if (credentials instanceof SdkAutoCloseable closeable) {
            closeQuietly(closeable);
        }
    }
}
