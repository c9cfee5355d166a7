package io.multistore.core.internal;

import io.multistore.api.backend.ObjectKeys;
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
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.PartListing;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.UploadInfo;
import io.multistore.api.backend.UploadListing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A small in-memory implementation of the ObjectStore SPI for gateway tests. */
class MemoryStore implements ObjectStore {

    record Stored(byte[] data, ObjectMeta meta) {
    }

    final NavigableMap<String, Stored> objects = new TreeMap<>(ObjectKeys.UTF8_ORDER);
    final Map<String, NavigableMap<Integer, byte[]>> uploads = new TreeMap<>();
    final Map<String, String> uploadKeys = new TreeMap<>();
    final List<ListRequest> listRequests = new ArrayList<>();
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicInteger closeCount = new AtomicInteger();
    private int nextUpload = 1;

    synchronized void putBytes(String key, byte[] data, ObjectAttributes attributes) {
        objects.put(key, new Stored(data, new ObjectMeta(key, data.length, etag(data),
                Instant.parse("2024-05-01T10:00:00.123Z"), attributes)));
    }

    static String etag(byte[] data) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized ObjectMeta head(String key, Preconditions conditions) {
        Stored s = objects.get(key);
        if (s == null) {
            throw new S3Exception(S3ErrorCode.NoSuchKey);
        }
        conditions.checkRead(s.meta());
        return s.meta();
    }

    @Override
    public synchronized ObjectContent get(String key, ByteRange range, Preconditions conditions) {
        ObjectMeta meta = head(key, conditions);
        byte[] data = objects.get(key).data();
        if (range == null) {
            return new ObjectContent(meta, new ByteArrayInputStream(data), null);
        }
        ContentRange r = range.resolve(meta.size());
        return new ObjectContent(meta, new ByteArrayInputStream(data, (int) r.first(), (int) r.length()), r);
    }

    @Override
    public ObjectMeta put(String key, ObjectBody body, ObjectAttributes attributes, Preconditions conditions) {
        byte[] data = read(body);
        synchronized (this) {
            Stored current = objects.get(key);
            conditions.checkWrite(current == null ? null : current.meta());
            putBytes(key, data, attributes);
            return objects.get(key).meta();
        }
    }

    private static byte[] read(ObjectBody body) {
        try {
            byte[] data = body.stream().readAllBytes();
            if (body.length() >= 0 && data.length != body.length()) {
                throw new S3Exception(S3ErrorCode.IncompleteBody);
            }
            return data;
        } catch (IOException e) {
            // as a real store would: the failed read becomes its own error
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void delete(String key) {
        objects.remove(key);
    }

    @Override
    public synchronized ListPage list(ListRequest request) {
        listRequests.add(request);
        List<ObjectSummary> found = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String after = request.continuationToken() != null ? request.continuationToken() : request.startAfter();
        NavigableMap<String, Stored> tail = after == null ? objects : objects.tailMap(after, false);
        String lastPrefix = null;
        boolean truncated = false;
        String lastReturned = null;
        for (Map.Entry<String, Stored> e : tail.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(request.prefix())) {
                continue;
            }
            String rolled = null;
            if (request.delimiter() != null) {
                int at = key.indexOf(request.delimiter(), request.prefix().length());
                if (at >= 0) {
                    rolled = key.substring(0, at + request.delimiter().length());
                }
            }
            if (rolled != null && (rolled.equals(lastPrefix) || (after != null && after.startsWith(rolled)
                    && after.endsWith(request.delimiter())))) {
                continue;
            }
            if (found.size() + prefixes.size() >= request.maxKeys()) {
                truncated = true;
                break;
            }
            if (rolled != null) {
                prefixes.add(rolled);
                lastPrefix = rolled;
                lastReturned = rolled;
            } else {
                found.add(new ObjectSummary(key, e.getValue().meta().size(), e.getValue().meta().etag(),
                        e.getValue().meta().lastModified()));
                lastReturned = key;
            }
        }
        return new ListPage(found, prefixes, truncated, truncated ? lastReturned : null);
    }

    @Override
    public synchronized ObjectMeta copy(String sourceKey, Preconditions sourceConditions, String targetKey,
            ObjectAttributes attributes) {
        ObjectMeta source = head(sourceKey, sourceConditions);
        putBytes(targetKey, objects.get(sourceKey).data(), attributes == null ? source.attributes() : attributes);
        return objects.get(targetKey).meta();
    }

    @Override
    public synchronized String createMultipartUpload(String key, ObjectAttributes attributes) {
        String id = "upload-" + nextUpload++;
        uploads.put(id, new TreeMap<>());
        uploadKeys.put(id, key);
        return id;
    }

    private NavigableMap<Integer, byte[]> upload(String key, String uploadId) {
        NavigableMap<Integer, byte[]> parts = uploads.get(uploadId);
        if (parts == null || !key.equals(uploadKeys.get(uploadId))) {
            throw new S3Exception(S3ErrorCode.NoSuchUpload);
        }
        return parts;
    }

    @Override
    public PartInfo uploadPart(String key, String uploadId, int partNumber, ObjectBody body) {
        byte[] data = read(body);
        synchronized (this) {
            upload(key, uploadId).put(partNumber, data);
            return new PartInfo(partNumber, etag(data), data.length, Instant.parse("2024-05-01T10:00:00Z"));
        }
    }

    @Override
    public synchronized ObjectMeta completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts) {
        NavigableMap<Integer, byte[]> stored = upload(key, uploadId);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (CompletedPart p : parts) {
            byte[] data = stored.get(p.partNumber());
            if (data == null || !etag(data).equals(p.etag())) {
                throw new S3Exception(S3ErrorCode.InvalidPart);
            }
            all.writeBytes(data);
        }
        uploads.remove(uploadId);
        uploadKeys.remove(uploadId);
        putBytes(key, all.toByteArray(), ObjectAttributes.NONE);
        return objects.get(key).meta();
    }

    @Override
    public synchronized void abortMultipartUpload(String key, String uploadId) {
        upload(key, uploadId);
        uploads.remove(uploadId);
        uploadKeys.remove(uploadId);
    }

    @Override
    public synchronized PartListing listParts(String key, String uploadId, int partNumberMarker, int maxParts) {
        List<PartInfo> parts = new ArrayList<>();
        boolean truncated = false;
        for (Map.Entry<Integer, byte[]> e : upload(key, uploadId).tailMap(partNumberMarker, false).entrySet()) {
            if (parts.size() == maxParts) {
                truncated = true;
                break;
            }
            parts.add(new PartInfo(e.getKey(), etag(e.getValue()), e.getValue().length,
                    Instant.parse("2024-05-01T10:00:00Z")));
        }
        return new PartListing(parts, truncated, parts.isEmpty() ? 0 : parts.get(parts.size() - 1).partNumber());
    }

    @Override
    public synchronized UploadListing listMultipartUploads(String prefix, String keyMarker, String uploadIdMarker,
            int maxUploads) {
        List<UploadInfo> result = new ArrayList<>();
        uploadKeys.forEach((id, key) -> {
            if (key.startsWith(prefix) && result.size() < maxUploads) {
                result.add(new UploadInfo(key, id, Instant.parse("2024-05-01T10:00:00Z")));
            }
        });
        return new UploadListing(result, false, null, null);
    }

    @Override
    public void close() {
        closed.set(true);
        closeCount.incrementAndGet();
    }
}
