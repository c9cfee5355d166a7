package io.multistore.backend.s3.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code [buckets.backend_options]} of an S3 bucket.
 *
 * @param endpoint        {@code null} for AWS itself; when set, requests use path-style addressing as S3-compatible
 *                        stores expect
 * @param region          signing region, {@code us-east-1} by default
 * @param bucketName      the backend bucket
 * @param accessKeyId     static credentials, or {@code null}
 * @param secretAccessKey static credentials, or {@code null}
 * @param sessionToken    for temporary static credentials, or {@code null}
 * @param skipSignature   send unsigned requests (public buckets)
 */
record S3StoreOptions(URI endpoint, String region, String bucketName, String accessKeyId, String secretAccessKey,
        String sessionToken, boolean skipSignature) {

    static final String DEFAULT_REGION = "us-east-1";

    @Override
    public String toString() {
        // never print the secret or the token
        return "S3StoreOptions[endpoint=" + endpoint + ", region=" + region + ", bucketName=" + bucketName
                + ", accessKeyId=" + accessKeyId + ", skipSignature=" + skipSignature + "]";
    }

    boolean hasStaticCredentials() {
        return accessKeyId != null && secretAccessKey != null;
    }

    static S3StoreOptions from(BucketConfig bucket) {
        String bucketName = bucket.option("bucket_name").orElseThrow(() -> invalid(bucket,
                "backend option bucket_name is required"));
        URI endpoint = bucket.option("endpoint").map(e -> parseEndpoint(bucket, e)).orElse(null);
        String region = bucket.option("region").orElse(DEFAULT_REGION);
        Optional<String> keyId = bucket.option("access_key_id");
        Optional<String> secret = bucket.option("secret_access_key");
        if (keyId.isPresent() != secret.isPresent()) {
            throw invalid(bucket, "backend options access_key_id and secret_access_key must be set together");
        }
        boolean skipSignature = bucket.option("skip_signature")
                .map(v -> v.trim().toLowerCase(Locale.ROOT))
                .map(v -> v.equals("true"))
                .orElse(false);
        return new S3StoreOptions(endpoint, region, bucketName, keyId.orElse(null), secret.orElse(null),
                bucket.option("session_token").orElse(null), skipSignature);
    }

    private static URI parseEndpoint(BucketConfig bucket, String value) {
        String v = value.trim();
        if (!v.contains("://")) {
            v = "https://" + v;
        }
        try {
            URI uri = URI.create(v);
            if (uri.getHost() == null) {
                throw invalid(bucket, "backend option endpoint has no host: " + value);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(bucket, "backend option endpoint is not a URL: " + value);
        }
    }

    private static S3Exception invalid(BucketConfig bucket, String message) {
        return new S3Exception(S3ErrorCode.InvalidArgument, "bucket " + bucket.name() + ": " + message,
                bucket.name(), null);
    }
}
