package io.multistore.backend.azure.internal;

import com.azure.core.http.HttpClient;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.batch.BlobBatch;
import com.azure.storage.blob.batch.BlobBatchClient;
import com.azure.storage.blob.batch.BlobBatchClientBuilder;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.AppendBlobCreateOptions;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.models.BlobBeginCopySourceRequestConditions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
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
import io.multistore.api.backend.ObjectKeys;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.PartListing;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.UploadInfo;
import io.multistore.api.backend.UploadListing;
import io.multistore.lib.dataplane.BackendResponse;
import io.multistore.lib.dataplane.ErrorBody;
import io.multistore.lib.dataplane.HttpTransport;
import io.multistore.lib.dataplane.OutboundBody;
import io.multistore.lib.dataplane.StoreHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend bucket on an Azure Blob Storage container. Thread-safe, and stateless beyond its clients: everything
 * an upload needs lives in Azure, so a gateway restart loses nothing.
 * <p>
 * Two planes: blob bodies (Get Blob, Get Blob Properties, Put Blob, Put Block, Append Block, Delete Blob) go through
 * {@link AzureDataPlane}, one signed exchange each on the shared transport; listings, block commits, copies,
 * container operations and batch deletes go through the Azure SDK's {@link BlobContainerClient}.
 * <p>
 * <b>Uploads.</b> A body of known length up to {@value #SINGLE_PUT_MAX} bytes is one streamed Put Blob (Azure stores
 * its MD5). Larger bodies, and bodies of unknown length, are staged as blocks (streamed when the length is known, one
 * {@value #BUFFER_SIZE}-byte buffer at a time when not) and committed with the MD5 computed on the way. Nothing is
 * visible until the commit; a failed body leaves the previous blob untouched.
 * <p>
 * <b>Multipart uploads.</b> CreateMultipartUpload writes a small append blob under {@value #UPLOADS}{@code key/id}
 * holding the upload's content headers and metadata (this prefix is hidden from listings). UploadPart stages the
 * part's bytes as uncommitted blocks of the target blob, with ids derived from the upload id and part number (see
 * {@link AzureNames}), then appends one line {@code part md5 size blocks millis} to that append blob. Complete reads
 * the lines, checks the client's part ETags, order and sizes, and commits the blocks in part order (one Put Block
 * List) with the S3 multipart ETag; Abort deletes the append blob (the uncommitted blocks are invisible and Azure
 * discards them). ListParts and ListMultipartUploads read these blobs.
 */
final class AzureObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(AzureObjectStore.class);

    /** Bodies of known length up to this go as one Put Blob. */
    static final long SINGLE_PUT_MAX = 256L * 1024 * 1024;
    /** Largest block staged from a body of known length (Azure allows 4000 MiB; older API versions 100 MiB). */
    static final long MAX_BLOCK = 100L * 1024 * 1024;
    /** Buffer for bodies of unknown length: one at a time. */
    static final int BUFFER_SIZE = 8 * 1024 * 1024;
    /** Where upload records live; hidden from listings. */
    static final String UPLOADS = ".multistore-uploads/";
    private static final int MAX_PARTS = 10_000;
    private static final int MIN_PART = 5 * 1024 * 1024;
    private static final int MAX_NAME = 1024;
    private static final int BATCH_LIMIT = 256;
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String META = "x-ms-meta-";

    private final BlobContainerClient container;
    private final BlobBatchClient batch;
    private final AzureDataPlane data;
    private final String containerName;
    private final String sas;

    private AzureObjectStore(BlobContainerClient container, BlobBatchClient batch, AzureDataPlane data,
            String containerName, String sas) {
        this.container = container;
        this.batch = batch;
        this.data = data;
        this.containerName = containerName;
        this.sas = sas;
    }

    /**
     * @throws IllegalArgumentException when the SDK refuses the options (the caller reports it)
     */
    static AzureObjectStore open(AzureStoreOptions options, HttpTransport transport, HttpClient http) {
        return open(options, transport, http, null);
    }

    /**
     * @param bearer the bearer token of a bucket with an {@code auth_type} (asked for before every request of
     *               either plane), or {@code null} to sign as the options say
     * @throws IllegalArgumentException when the SDK refuses the options (the caller reports it)
     */
    static AzureObjectStore open(AzureStoreOptions options, HttpTransport transport, HttpClient http,
            Supplier<String> bearer) {
        StorageSharedKeyCredential key = options.accessKey() != null && !options.skipSignature()
                ? new StorageSharedKeyCredential(options.accountName(), options.accessKey()) : null;
        try {
            BlobContainerClientBuilder builder = new BlobContainerClientBuilder()
                    .endpoint(options.endpoint() + "/" + AzureDataPlane.encode(options.containerName()))
                    .httpClient(http)
                    // the transport retries (connection failures, 5xx, throttling) as for the data plane
                    .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, null, null,
                            null));
            String sas = null;
            if (bearer != null) {
                // set as a header by a policy of our own: the SDK's token policy refuses plain-HTTP endpoints
                builder.addPolicy(new BearerPolicy(bearer));
            } else if (key != null) {
                builder.credential(key);
            } else if (options.sasToken() != null && !options.skipSignature()) {
                builder.sasToken(options.sasToken());
                sas = options.sasToken();
            }
            BlobContainerClient container = builder.buildClient();
            BlobBatchClient batch = new BlobBatchClientBuilder(container).buildClient();
            LOG.debug("Opened Azure store {}", options);
            return new AzureObjectStore(container, batch, new AzureDataPlane(transport, options, key, bearer),
                    options.containerName(), sas);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot create an Azure client: " + e.getMessage(), e);
        }
    }

    /** An object's metadata with Azure's own ETag, which writes pin. */
    private record Props(ObjectMeta meta, String azureEtag) {
    }

    // ---------------------------------------------------------------- reads

    @Override
    public ObjectMeta head(String key, Preconditions conditions) {
        ObjectMeta meta = props(key).meta();
        conditions.checkRead(meta);
        return meta;
    }

    private Props props(String key) {
        checkKey(key);
        try (BackendResponse response = exchange("HEAD", key, null, Map.of(), null)) {
            return props(key, response, StoreHeaders.parseLong(response.header("Content-Length")));
        }
    }

    private Props propsOrNull(String key) {
        try {
            return props(key);
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NoSuchKey) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public ObjectContent get(String key, ByteRange range, Preconditions conditions) {
        checkKey(key);
        Map<String, String> headers = new HashMap<>();
        if (range != null) {
            if (range.suffix() >= 0) {
                // Azure takes no suffix ranges: resolve it against the size, and pin the version measured
                Props current = props(key);
                conditions.checkRead(current.meta());
                ContentRange resolved = range.resolve(current.meta().size());
                headers.put("x-ms-range", "bytes=" + resolved.first() + "-" + resolved.last());
                headers.put("If-Match", current.azureEtag());
            } else {
                headers.put("x-ms-range", range.header());
            }
        }
        // entity tags are this gateway's, checked below on the answer itself; dates Azure evaluates alike
        if (conditions.ifNoneMatch().isEmpty() && conditions.ifModifiedSince() != null) {
            headers.put("If-Modified-Since", StoreHeaders.formatDate(conditions.ifModifiedSince()));
        }
        if (conditions.ifMatch().isEmpty() && conditions.ifUnmodifiedSince() != null) {
            headers.put("If-Unmodified-Since", StoreHeaders.formatDate(conditions.ifUnmodifiedSince()));
        }
        BackendResponse response = exchange("GET", key, null, headers, null);
        try {
            ContentRange served = response.status() == 206
                    ? StoreHeaders.parseContentRange(response.header("Content-Range")) : null;
            long size = served != null ? served.total() : Math.max(0, response.contentLength());
            if (range != null) {
                // Azure answers 416 itself; Azurite serves an unsatisfiable range as a clipped or whole one
                range.resolve(size);
            }
            ObjectMeta meta = props(key, response, size).meta();
            conditions.checkRead(meta);
            return new ObjectContent(meta, response.body(), served);
        } catch (RuntimeException e) {
            response.close();
            throw e;
        }
    }

    private static Props props(String key, BackendResponse response, long size) {
        Map<String, String> metadata = StoreHeaders.userMetadata(response, META);
        String md5 = response.header("x-ms-blob-content-md5");
        if (md5 == null) {
            md5 = response.header("Content-MD5");
        }
        String azureEtag = response.header("ETag");
        String etag = AzureNames.etag(AzureNames.md5(md5), AzureNames.entry(metadata, AzureNames.PARTS), azureEtag);
        ObjectAttributes attributes = new ObjectAttributes(response.header("Content-Type"),
                response.header("Content-Encoding"), response.header("Content-Disposition"),
                response.header("Content-Language"), response.header("Cache-Control"),
                AzureNames.entry(metadata, AzureNames.EXPIRES), AzureNames.userMetadata(metadata));
        return new Props(new ObjectMeta(key, size, etag, StoreHeaders.parseDate(response.header("Last-Modified")),
                attributes), azureEtag);
    }

    // ---------------------------------------------------------------- writes

    @Override
    public ObjectMeta put(String key, ObjectBody body, ObjectAttributes attributes, Preconditions conditions) {
        checkWritableKey(key);
        ObjectAttributes attrs = attributes == null ? ObjectAttributes.NONE : attributes;
        Map<String, String> pin = pinWrite(key, conditions);
        if (body.length() >= 0 && body.length() <= SINGLE_PUT_MAX) {
            return putBlob(key, OutboundBody.stream(body.stream(), body.length()), attrs, pin);
        }
        if (body.length() < 0) {
            byte[] buffer = new byte[BUFFER_SIZE];
            int n = OutboundBody.fill(body.stream(), buffer, key);
            if (n < BUFFER_SIZE) {
                return putBlob(key, OutboundBody.of(buffer, 0, n), attrs, pin);
            }
            return putBlocks(key, body.stream(), -1, buffer, n, attrs, pin);
        }
        return putBlocks(key, body.stream(), body.length(), null, 0, attrs, pin);
    }

    /**
     * The conditions of a write as Azure conditions: checked here against the derived ETag, then the state they
     * were checked against is pinned ({@code If-Match} on Azure's own ETag, or {@code If-None-Match: *} when there
     * was no object), so that a change in between fails the write with 412.
     */
    private Map<String, String> pinWrite(String key, Preconditions conditions) {
        if (conditions.isEmpty()) {
            return Map.of();
        }
        if (conditions.ifMatch().isEmpty() && conditions.ifNoneMatch().size() == 1
                && conditions.ifNoneMatch().get(0).trim().equals("*")) {
            return Map.of("If-None-Match", "*");
        }
        Props current = propsOrNull(key);
        conditions.checkWrite(current == null ? null : current.meta());
        return current == null ? Map.of("If-None-Match", "*") : Map.of("If-Match", current.azureEtag());
    }

    private static BlobRequestConditions requestConditions(Map<String, String> pin) {
        BlobRequestConditions c = new BlobRequestConditions();
        if (pin.containsKey("If-Match")) {
            c.setIfMatch(pin.get("If-Match"));
        }
        if (pin.containsKey("If-None-Match")) {
            c.setIfNoneMatch(pin.get("If-None-Match"));
        }
        return c;
    }

    private ObjectMeta putBlob(String key, OutboundBody body, ObjectAttributes attrs, Map<String, String> pin) {
        Map<String, String> headers = new HashMap<>(pin);
        headers.put("x-ms-blob-type", "BlockBlob");
        contentHeaders(headers, attrs);
        AzureNames.toAzure(attrs.userMetadata(), attrs.expires(), null)
                .forEach((name, value) -> headers.put(META + name, value));
        MessageDigest md5 = md5();
        OutboundBody digested = body;
        try (BackendResponse response = exchange("PUT", key, null, headers, digesting(body, md5))) {
            byte[] stored = AzureNames.md5(response.header("Content-MD5"));
            byte[] sent = md5.digest();
            if (stored != null && !MessageDigest.isEqual(stored, sent)) {
                LOG.warn("Azure stored {} with an MD5 other than the one sent", key);
            }
            Instant modified = StoreHeaders.parseDate(response.header("Last-Modified"));
            return new ObjectMeta(key, digested.length(), AzureNames.etag(stored != null ? stored : sent, null,
                    response.header("ETag")), modified != null ? modified : Instant.now(), attrs);
        }
    }

    /** Blocks staged from the body, committed with its MD5; {@code first} holds the first {@code n} bytes read. */
    private ObjectMeta putBlocks(String key, InputStream in, long length, byte[] first, int n,
            ObjectAttributes attrs, Map<String, String> pin) {
        String uploadId = AzureNames.newUploadId();
        MessageDigest md5 = md5();
        Staged staged = length >= 0 ? stageKnown(key, uploadId, 0, in, length, md5)
                : stageBuffered(key, uploadId, 0, in, first, n, md5);
        byte[] digest = md5.digest();
        BlockBlobItem item = commit(key, staged.blockIds(), attrs, digest, null, pin);
        return new ObjectMeta(key, staged.size(), AzureNames.etag(digest, null, item.getETag()),
                item.getLastModified() == null ? Instant.now() : item.getLastModified().toInstant(), attrs);
    }

    private record Staged(List<String> blockIds, long size) {
    }

    /** Streams {@code length} bytes as blocks of at most {@link #MAX_BLOCK}. */
    private Staged stageKnown(String key, String uploadId, int part, InputStream in, long length, MessageDigest md5) {
        List<String> ids = new ArrayList<>();
        long remaining = length;
        int block = 0;
        while (remaining > 0) {
            long size = Math.min(MAX_BLOCK, remaining);
            String id = AzureNames.blockId(uploadId, part, block++);
            stageBlock(key, id, digesting(OutboundBody.stream(in, size), md5));
            ids.add(id);
            remaining -= size;
        }
        return new Staged(ids, length);
    }

    /** Stages a body of unknown length, one buffer at a time. */
    private Staged stageBuffered(String key, String uploadId, int part, InputStream in, byte[] buffer, int first,
            MessageDigest md5) {
        byte[] buf = buffer != null ? buffer : new byte[BUFFER_SIZE];
        int n = buffer != null ? first : OutboundBody.fill(in, buf, key);
        List<String> ids = new ArrayList<>();
        long size = 0;
        while (n > 0) {
            if (ids.size() == 999) {
                throw new S3Exception(S3ErrorCode.EntityTooLarge, "a body of unknown length may be at most "
                        + 999L * BUFFER_SIZE + " bytes", key, null);
            }
            String id = AzureNames.blockId(uploadId, part, ids.size());
            md5.update(buf, 0, n);
            stageBlock(key, id, OutboundBody.of(buf, 0, n));
            ids.add(id);
            size += n;
            n = n < buf.length ? 0 : OutboundBody.fill(in, buf, key);
        }
        return new Staged(ids, size);
    }

    private void stageBlock(String key, String blockId, OutboundBody body) {
        String query = "comp=block&blockid=" + AzureDataPlane.queryValue(blockId);
        exchange("PUT", key, query, Map.of(), body).close();
    }

    private BlockBlobItem commit(String key, List<String> blockIds, ObjectAttributes attrs, byte[] md5,
            Integer parts, Map<String, String> pin) {
        BlobHttpHeaders headers = httpHeaders(attrs).setContentMd5(md5);
        BlockBlobCommitBlockListOptions options = new BlockBlobCommitBlockListOptions(blockIds)
                .setHeaders(headers)
                .setMetadata(AzureNames.toAzure(attrs.userMetadata(), attrs.expires(), parts))
                .setRequestConditions(requestConditions(pin));
        return call(key, () -> container.getBlobClient(key).getBlockBlobClient()
                .commitBlockListWithResponse(options, null, Context.NONE).getValue());
    }

    private static BlobHttpHeaders httpHeaders(ObjectAttributes attrs) {
        return new BlobHttpHeaders()
                .setContentType(attrs.contentType() != null ? attrs.contentType() : OCTET_STREAM)
                .setContentEncoding(attrs.contentEncoding())
                .setContentDisposition(attrs.contentDisposition())
                .setContentLanguage(attrs.contentLanguage())
                .setCacheControl(attrs.cacheControl());
    }

    private static void contentHeaders(Map<String, String> headers, ObjectAttributes attrs) {
        headers.put("x-ms-blob-content-type", attrs.contentType() != null ? attrs.contentType() : OCTET_STREAM);
        putIfSet(headers, "x-ms-blob-content-encoding", attrs.contentEncoding());
        putIfSet(headers, "x-ms-blob-content-disposition", attrs.contentDisposition());
        putIfSet(headers, "x-ms-blob-content-language", attrs.contentLanguage());
        putIfSet(headers, "x-ms-blob-cache-control", attrs.cacheControl());
    }

    @Override
    public void delete(String key) {
        checkKey(key);
        try {
            exchange("DELETE", key, null, Map.of("x-ms-delete-snapshots", "include"), null).close();
        } catch (S3Exception e) {
            if (e.code() != S3ErrorCode.NoSuchKey) {
                throw e;
            }
        }
    }

    /** One Azure Blob Batch per 256 keys; a key that is already gone counts as deleted. */
    @Override
    public Map<String, S3Exception> deleteObjects(List<String> keys) {
        Map<String, S3Exception> failed = new LinkedHashMap<>();
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(keys));
        for (int from = 0; from < unique.size(); from += BATCH_LIMIT) {
            List<String> chunk = unique.subList(from, Math.min(unique.size(), from + BATCH_LIMIT));
            BlobBatch request = batch.getBlobBatch();
            Map<String, Response<Void>> responses = new LinkedHashMap<>();
            for (String key : chunk) {
                if (key.isEmpty() || key.length() > MAX_NAME) {
                    failed.put(key, new S3Exception(S3ErrorCode.KeyTooLongError,
                            S3ErrorCode.KeyTooLongError.defaultMessage(), key, null));
                    continue;
                }
                responses.put(key, request.deleteBlob(blobUrl(key), DeleteSnapshotsOptionType.INCLUDE, null));
            }
            if (responses.isEmpty()) {
                continue;
            }
            call(null, () -> batch.submitBatchWithResponse(request, false, null, Context.NONE));
            responses.forEach((key, response) -> {
                try {
                    response.getStatusCode();
                } catch (BlobStorageException e) {
                    if (e.getStatusCode() != 404) {
                        failed.put(key, AzureErrors.translate(e, key));
                    }
                } catch (RuntimeException e) {
                    failed.put(key, AzureErrors.translate(e, key));
                }
            });
        }
        return failed;
    }

    private String blobUrl(String key) {
        String url = container.getBlobContainerUrl() + "/" + AzureDataPlane.encode(key);
        return sas == null ? url : url + "?" + sas;
    }

    // ---------------------------------------------------------------- listing

    @Override
    public ListPage list(ListRequest request) {
        ListBlobsOptions options = new ListBlobsOptions()
                .setPrefix(request.prefix().isEmpty() ? null : request.prefix())
                .setMaxResultsPerPage(request.maxKeys())
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        String marker = decodeToken(request.continuationToken());
        String startAfter = request.continuationToken() == null ? request.startAfter() : null;
        String skippedPrefix = startAfter != null && request.delimiter() != null
                && startAfter.endsWith(request.delimiter()) ? startAfter : null;
        while (true) {
            String pageMarker = marker;
            PagedResponse<BlobItem> page = call(request.prefix(), () -> (request.delimiter() == null
                    ? container.listBlobs(options, pageMarker, null).iterableByPage(pageMarker)
                    : container.listBlobsByHierarchy(request.delimiter(), options, null)
                            .iterableByPage(pageMarker)).iterator().next());
            List<ObjectSummary> objects = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            for (BlobItem item : page.getValue()) {
                String name = item.getName();
                if (name.startsWith(UPLOADS)
                        || (startAfter != null && ObjectKeys.compareUtf8(name, startAfter) <= 0)
                        || (skippedPrefix != null && name.startsWith(skippedPrefix))) {
                    continue;
                }
                if (Boolean.TRUE.equals(item.isPrefix())) {
                    prefixes.add(name);
                } else {
                    objects.add(summary(item));
                }
            }
            String next = page.getContinuationToken();
            boolean more = next != null && !next.isEmpty();
            if (objects.isEmpty() && prefixes.isEmpty() && more) {
                // every entry of this page was hidden or skipped: the client must not see an empty page
                marker = next;
                continue;
            }
            return new ListPage(objects, prefixes, more, more ? encodeToken(next) : null);
        }
    }

    private static ObjectSummary summary(BlobItem item) {
        BlobItemProperties p = item.getProperties();
        String etag = AzureNames.etag(p.getContentMd5(), AzureNames.entry(item.getMetadata(), AzureNames.PARTS),
                p.getETag());
        long size = p.getContentLength() == null ? 0 : p.getContentLength();
        return new ObjectSummary(item.getName(), size, etag, p.getLastModified() == null ? null
                : p.getLastModified().toInstant());
    }

    /** Azure markers, opaque to clients. */
    private static String encodeToken(String marker) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(marker.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The continuation token provided is incorrect",
                    "continuation-token", null);
        }
    }

    // ---------------------------------------------------------------- copy

    @Override
    public ObjectMeta copy(String sourceKey, Preconditions sourceConditions, String targetKey,
            ObjectAttributes attributes) {
        checkWritableKey(targetKey);
        Props source = props(sourceKey);
        try {
            sourceConditions.checkRead(source.meta());
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NotModified) {
                throw new S3Exception(S3ErrorCode.PreconditionFailed,
                        S3ErrorCode.PreconditionFailed.defaultMessage(), sourceKey, null);
            }
            throw e;
        }
        String parts = partsOf(source.meta().etag());
        BlobBeginCopyOptions options = new BlobBeginCopyOptions(blobUrl(sourceKey))
                .setSourceRequestConditions(new BlobBeginCopySourceRequestConditions()
                        .setIfMatch(source.azureEtag()))
                .setPollInterval(Duration.ofMillis(200));
        if (attributes != null) {
            options.setMetadata(AzureNames.toAzure(attributes.userMetadata(), attributes.expires(),
                    parts == null ? null : Integer.valueOf(parts)));
        }
        call(targetKey, () -> {
            SyncPoller<BlobCopyInfo, Void> poller = container.getBlobClient(targetKey).beginCopy(options);
            PollResponse<BlobCopyInfo> done = poller.waitForCompletion(Duration.ofMinutes(30));
            if (done.getStatus() != LongRunningOperationStatus.SUCCESSFULLY_COMPLETED) {
                throw new S3Exception(S3ErrorCode.ServiceUnavailable, null, targetKey,
                        AzureErrors.STORE + " copy ended " + done.getStatus(), null);
            }
            return null;
        });
        if (attributes != null) {
            // a copy keeps the source's content headers; replacing them keeps the MD5 the ETag derives from
            byte[] md5 = md5Of(source.meta().etag());
            call(targetKey, () -> {
                container.getBlobClient(targetKey).setHttpHeaders(httpHeaders(attributes).setContentMd5(md5));
                return null;
            });
        }
        return props(targetKey).meta();
    }

    /** The part count in a derived ETag ({@code "hex-3"}), or {@code null}. */
    private static String partsOf(String etag) {
        String bare = etag.replace("\"", "");
        int dash = bare.indexOf('-');
        return dash < 0 ? null : bare.substring(dash + 1);
    }

    private static byte[] md5Of(String etag) {
        String bare = etag.replace("\"", "");
        int dash = bare.indexOf('-');
        String hex = dash < 0 ? bare : bare.substring(0, dash);
        return hex.length() == 32 ? java.util.HexFormat.of().parseHex(hex) : null;
    }

    // ---------------------------------------------------------------- multipart

    @Override
    public String createMultipartUpload(String key, ObjectAttributes attributes) {
        checkWritableKey(key);
        ObjectAttributes attrs = attributes == null ? ObjectAttributes.NONE : attributes;
        String uploadId = AzureNames.newUploadId();
        String record = recordName(key, uploadId);
        if (record.length() > MAX_NAME) {
            throw new S3Exception(S3ErrorCode.KeyTooLongError, "Multipart uploads on this backend take keys of at "
                    + "most " + (MAX_NAME - UPLOADS.length() - 33) + " characters", key, null);
        }
        call(key, () -> container.getBlobClient(record).getAppendBlobClient().createWithResponse(
                new AppendBlobCreateOptions().setHeaders(httpHeaders(attrs))
                        .setMetadata(AzureNames.toAzure(attrs.userMetadata(), attrs.expires(), null)),
                null, Context.NONE));
        return uploadId;
    }

    private static String recordName(String key, String uploadId) {
        return UPLOADS + key + "/" + uploadId;
    }

    @Override
    public PartInfo uploadPart(String key, String uploadId, int partNumber, ObjectBody body) {
        checkKey(key);
        if (!AzureNames.isUploadId(uploadId)) {
            throw noSuchUpload(key);
        }
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Part number must be an integer between 1 and 10000",
                    "partNumber", null);
        }
        MessageDigest md5 = md5();
        Staged staged = body.length() >= 0 ? stageKnown(key, uploadId, partNumber, body.stream(), body.length(), md5)
                : stageBuffered(key, uploadId, partNumber, body.stream(), null, 0, md5);
        String hex = AzureNames.hex(md5.digest());
        Instant now = Instant.now();
        String line = partNumber + " " + hex + " " + staged.size() + " " + staged.blockIds().size() + " "
                + now.toEpochMilli() + "\n";
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        try {
            exchange("PUT", recordName(key, uploadId), "comp=appendblock", Map.of(),
                    OutboundBody.of(bytes, 0, bytes.length)).close();
        } catch (S3Exception e) {
            throw e.code() == S3ErrorCode.NoSuchKey ? noSuchUpload(key) : e;
        }
        return new PartInfo(partNumber, "\"" + hex + "\"", staged.size(), now);
    }

    /** A part as recorded: the last record of its number wins. */
    private record Part(int number, String md5, long size, int blocks, Instant uploaded) {
    }

    private record Upload(ObjectAttributes attributes, TreeMap<Integer, Part> parts) {
    }

    private Upload readUpload(String key, String uploadId) {
        checkKey(key);
        if (!AzureNames.isUploadId(uploadId)) {
            throw noSuchUpload(key);
        }
        BackendResponse response;
        try {
            response = exchange("GET", recordName(key, uploadId), null, Map.of(), null);
        } catch (S3Exception e) {
            throw e.code() == S3ErrorCode.NoSuchKey ? noSuchUpload(key) : e;
        }
        try (response) {
            ObjectAttributes attrs = props(key, response, 0).meta().attributes();
            String text = new String(response.body().readAllBytes(), StandardCharsets.US_ASCII);
            TreeMap<Integer, Part> parts = new TreeMap<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length == 5) {
                    int n = Integer.parseInt(f[0]);
                    parts.put(n, new Part(n, f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]),
                            Instant.ofEpochMilli(Long.parseLong(f[4]))));
                }
            }
            return new Upload(attrs, parts);
        } catch (IOException e) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, null, key,
                    AzureErrors.STORE + " failed reading an upload record: " + e, e);
        }
    }

    @Override
    public ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts) {
        return completeMultipartUpload(key, uploadId, parts, Preconditions.NONE);
    }

    /** The conditions are pinned to Azure's ETag in the one Put Block List, so check and commit are atomic. */
    @Override
    public ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts,
            Preconditions conditions) {
        Upload upload = readUpload(key, uploadId);
        if (parts.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MalformedXML, "You must specify at least one part", key, null);
        }
        int previous = 0;
        for (CompletedPart requested : parts) {
            if (requested.partNumber() <= previous) {
                throw new S3Exception(S3ErrorCode.InvalidPartOrder, S3ErrorCode.InvalidPartOrder.defaultMessage(),
                        key, null);
            }
            previous = requested.partNumber();
        }
        List<String> blockIds = new ArrayList<>();
        MessageDigest md5s = md5();
        long size = 0;
        for (int i = 0; i < parts.size(); i++) {
            CompletedPart requested = parts.get(i);
            Part part = upload.parts().get(requested.partNumber());
            if (part == null || !part.md5().equals(bare(requested.etag()))) {
                throw new S3Exception(S3ErrorCode.InvalidPart, S3ErrorCode.InvalidPart.defaultMessage(), key, null);
            }
            if (i < parts.size() - 1 && part.size() < MIN_PART) {
                throw new S3Exception(S3ErrorCode.EntityTooSmall, S3ErrorCode.EntityTooSmall.defaultMessage(), key,
                        null);
            }
            for (int b = 0; b < part.blocks(); b++) {
                blockIds.add(AzureNames.blockId(uploadId, part.number(), b));
            }
            md5s.update(java.util.HexFormat.of().parseHex(part.md5()));
            size += part.size();
        }
        Map<String, String> pin = pinWrite(key, conditions);
        byte[] digest = md5s.digest();
        BlockBlobItem item = commit(key, blockIds, upload.attributes(), digest, parts.size(), pin);
        try {
            container.getBlobClient(recordName(key, uploadId)).delete();
        } catch (RuntimeException e) {
            LOG.warn("Cannot remove the record of completed upload {} of {}; it stays listed until removed: {}",
                    uploadId, key, e.toString());
        }
        return new ObjectMeta(key, size, AzureNames.etag(digest, Integer.toString(parts.size()), item.getETag()),
                item.getLastModified() == null ? Instant.now() : item.getLastModified().toInstant(),
                upload.attributes());
    }

    @Override
    public void abortMultipartUpload(String key, String uploadId) {
        checkKey(key);
        if (!AzureNames.isUploadId(uploadId)) {
            throw noSuchUpload(key);
        }
        try {
            exchange("DELETE", recordName(key, uploadId), null, Map.of(), null).close();
        } catch (S3Exception e) {
            throw e.code() == S3ErrorCode.NoSuchKey ? noSuchUpload(key) : e;
        }
    }

    @Override
    public PartListing listParts(String key, String uploadId, int partNumberMarker, int maxParts) {
        Upload upload = readUpload(key, uploadId);
        int max = maxParts > 0 ? Math.min(maxParts, 1000) : 1000;
        List<PartInfo> page = new ArrayList<>();
        boolean truncated = false;
        for (Part p : upload.parts().tailMap(partNumberMarker, false).values()) {
            if (page.size() == max) {
                truncated = true;
                break;
            }
            page.add(new PartInfo(p.number(), "\"" + p.md5() + "\"", p.size(), p.uploaded()));
        }
        int next = page.isEmpty() ? 0 : page.get(page.size() - 1).partNumber();
        return new PartListing(page, truncated, truncated ? next : 0);
    }

    @Override
    public UploadListing listMultipartUploads(String prefix, String keyMarker, String uploadIdMarker,
            int maxUploads) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(UPLOADS + (prefix == null ? "" : prefix));
        List<UploadInfo> all = new ArrayList<>();
        call(prefix, () -> {
            for (BlobItem item : container.listBlobs(options, null)) {
                String name = item.getName().substring(UPLOADS.length());
                int slash = name.lastIndexOf('/');
                if (slash < 0 || !AzureNames.isUploadId(name.substring(slash + 1))) {
                    continue;
                }
                Instant created = item.getProperties().getCreationTime() != null
                        ? item.getProperties().getCreationTime().toInstant()
                        : item.getProperties().getLastModified().toInstant();
                all.add(new UploadInfo(name.substring(0, slash), name.substring(slash + 1), created));
            }
            return null;
        });
        all.sort(Comparator.comparing(UploadInfo::key, ObjectKeys.UTF8_ORDER)
                .thenComparing(UploadInfo::initiated).thenComparing(UploadInfo::uploadId));
        int start = 0;
        if (keyMarker != null && !keyMarker.isEmpty()) {
            start = all.size();
            for (int i = 0; i < all.size(); i++) {
                UploadInfo u = all.get(i);
                int c = ObjectKeys.compareUtf8(u.key(), keyMarker);
                if (c > 0) {
                    start = i;
                    break;
                }
                if (c == 0 && uploadIdMarker != null && u.uploadId().equals(uploadIdMarker)) {
                    start = i + 1;
                    break;
                }
            }
        }
        int max = maxUploads > 0 ? Math.min(maxUploads, 1000) : 1000;
        List<UploadInfo> page = all.subList(Math.min(start, all.size()), Math.min(all.size(), start + max));
        boolean truncated = start + max < all.size();
        UploadInfo last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new UploadListing(page, truncated, truncated ? last.key() : null,
                truncated ? last.uploadId() : null);
    }

    // ---------------------------------------------------------------- containers

    @Override
    public void createBucket() {
        call(null, () -> container.createIfNotExists());
    }

    @Override
    public void deleteBucket() {
        ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(10);
        boolean empty = call(null, () -> {
            for (BlobItem item : container.listBlobs(options, null)) {
                if (!item.getName().startsWith(UPLOADS)) {
                    return false;
                }
            }
            return true;
        });
        if (!empty) {
            throw new S3Exception(S3ErrorCode.BucketNotEmpty, S3ErrorCode.BucketNotEmpty.defaultMessage(), null,
                    null);
        }
        call(null, () -> {
            container.delete();
            return null;
        });
    }

    @Override
    public void close() {
        // the SDK client holds nothing of its own: both planes use the shared transport
        LOG.debug("Closed Azure store for container {}", containerName);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * One data-plane exchange that must succeed: a connection failure becomes the client body's own failure if it
     * had one, else {@code ServiceUnavailable}; an answer other than 2xx becomes the S3 error both planes map it to.
     */
    private BackendResponse exchange(String method, String blob, String query, Map<String, String> headers,
            OutboundBody body) {
        BackendResponse response;
        try {
            response = data.send(method, blob, query, headers, body);
        } catch (IOException | UncheckedIOException e) {
            S3Exception bodyFailure = body == null ? null : body.failure(blob);
            if (bodyFailure != null) {
                throw bodyFailure;
            }
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, null, blob,
                    AzureErrors.STORE + " unreachable: " + e, e);
        }
        int status = response.status();
        if (status >= 200 && status < 300) {
            return response;
        }
        ErrorBody error = "HEAD".equals(method) ? new ErrorBody(null, null) : ErrorBody.read(response);
        response.close();
        S3Exception bodyFailure = body == null ? null : body.failure(blob);
        if (bodyFailure != null) {
            throw bodyFailure;
        }
        String code = response.header("x-ms-error-code") != null ? response.header("x-ms-error-code")
                : error.code();
        throw AzureErrors.fromAnswer(status, code, error.message(), blob, null);
    }

    private static <T> T call(String resource, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            throw AzureErrors.translate(e, resource);
        }
    }

    private static void checkKey(String key) {
        if (key.length() > MAX_NAME) {
            throw new S3Exception(S3ErrorCode.KeyTooLongError, S3ErrorCode.KeyTooLongError.defaultMessage(), key,
                    null);
        }
    }

    private static void checkWritableKey(String key) {
        checkKey(key);
        if (key.startsWith(UPLOADS)) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Keys under " + UPLOADS + " are reserved by the "
                    + "gateway on this backend", key, null);
        }
    }

    private static S3Exception noSuchUpload(String key) {
        return new S3Exception(S3ErrorCode.NoSuchUpload, S3ErrorCode.NoSuchUpload.defaultMessage(), key, null);
    }

    private static OutboundBody digesting(OutboundBody body, MessageDigest md5) {
        return body.encoded(body.length(), () -> new DigestInputStream(body.newStream(), md5));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bare(String etag) {
        String t = etag == null ? "" : etag.trim();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        return t.replace("\"", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static void putIfSet(Map<String, String> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

}
