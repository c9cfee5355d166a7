package io.multistore.backend.s3.internal;

import io.multistore.api.backend.DeleteResult;
import io.multistore.api.backend.ObjectVersion;
import io.multistore.api.backend.VersionListRequest;
import io.multistore.api.backend.VersionListing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/** The S3 backend's versions and tags, on the SDK's control-plane calls. */
final class S3Versions {

    private final S3Client client;
    private final String bucket;

    S3Versions(S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    String status() {
        BucketVersioningStatus status = S3ObjectStore.call(bucket,
                () -> client.getBucketVersioning(b -> b.bucket(bucket))).status();
        return status == null || status == BucketVersioningStatus.UNKNOWN_TO_SDK_VERSION ? null : status.toString();
    }

    void putStatus(String status) {
        S3ObjectStore.call(bucket, () -> client.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(c -> c.status(status))));
    }

    DeleteResult delete(String key, String versionId) {
        DeleteObjectResponse response = S3ObjectStore.call(key, () -> client.deleteObject(b -> b.bucket(bucket)
                .key(key).versionId(versionId)));
        return new DeleteResult(response.versionId(), Boolean.TRUE.equals(response.deleteMarker()));
    }

    VersionListing list(VersionListRequest request) {
        ListObjectVersionsResponse response = S3ObjectStore.call(request.prefix(),
                () -> client.listObjectVersions(b -> b.bucket(bucket)
                        // keys travel URL-encoded (the SDK decodes them), as in ListObjectsV2
                        .encodingType(EncodingType.URL)
                        .prefix(request.prefix().isEmpty() ? null : request.prefix())
                        .delimiter(request.delimiter())
                        .keyMarker(request.keyMarker())
                        .versionIdMarker(request.versionIdMarker())
                        .maxKeys(request.maxKeys())));
        List<ObjectVersion> versions = new ArrayList<>();
        for (software.amazon.awssdk.services.s3.model.ObjectVersion v : response.versions()) {
            versions.add(new ObjectVersion(v.key(), v.versionId(), Boolean.TRUE.equals(v.isLatest()), false,
                    v.size() == null ? 0 : v.size(), S3ObjectStore.quote(v.eTag()), v.lastModified()));
        }
        for (DeleteMarkerEntry d : response.deleteMarkers()) {
            versions.add(new ObjectVersion(d.key(), d.versionId(), Boolean.TRUE.equals(d.isLatest()), true, 0, null,
                    d.lastModified()));
        }
        // S3 interleaves both in key order, newest first: the SDK hands them over as two lists (a stable sort:
        // entries of one second keep the store's order)
        versions.sort(Comparator.comparing(ObjectVersion::key, io.multistore.api.backend.ObjectKeys::compareUtf8)
                .thenComparing(v -> !v.latest())
                .thenComparing(ObjectVersion::lastModified, Comparator.nullsLast(Comparator.reverseOrder())));
        List<String> prefixes = new ArrayList<>();
        for (CommonPrefix p : response.commonPrefixes()) {
            prefixes.add(p.prefix());
        }
        boolean truncated = Boolean.TRUE.equals(response.isTruncated());
        return new VersionListing(versions, prefixes, truncated, truncated ? response.nextKeyMarker() : null,
                truncated ? response.nextVersionIdMarker() : null);
    }

    Map<String, String> tags(String key, String versionId) {
        List<Tag> set = S3ObjectStore.call(key, () -> client.getObjectTagging(b -> b.bucket(bucket).key(key)
                .versionId(versionId))).tagSet();
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : set) {
            tags.put(t.key(), t.value());
        }
        return tags;
    }

    String putTags(String key, String versionId, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return S3ObjectStore.call(key, () -> client.deleteObjectTagging(b -> b.bucket(bucket).key(key)
                    .versionId(versionId))).versionId();
        }
        List<Tag> set = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> set.add(Tag.builder().key(k).value(v).build()));
        return S3ObjectStore.call(key, () -> client.putObjectTagging(b -> b.bucket(bucket).key(key)
                .versionId(versionId).tagging(t -> t.tagSet(set)))).versionId();
    }

    /** Tags as {@code x-amz-tagging} carries them: URL query form. */
    static String taggingHeader(Map<String, String> tags) {
        StringBuilder b = new StringBuilder();
        tags.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(encode(k)).append('=').append(encode(v));
        });
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
