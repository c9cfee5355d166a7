package io.multistore.backend.s3.internal;

import io.multistore.api.BucketConfig;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

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
 * @param virtualHosted   address the bucket as {@code bucket.host} instead of {@code host/bucket}: the default on AWS
 *                        (for bucket names that are valid host labels), and with an endpoint when
 *                        {@code virtual_hosted_style_request = "true"} (object_store's option name)
 */
record S3StoreOptions(URI endpoint, String region, String bucketName, String accessKeyId, String secretAccessKey,
        String sessionToken, boolean skipSignature, boolean virtualHosted) {

    static final String DEFAULT_REGION = "us-east-1";

    @Override
    public String toString() {
        // never print the secret or the token
        return "S3StoreOptions[endpoint=" + endpoint + ", region=" + region + ", bucketName=" + bucketName
                + ", accessKeyId=" + accessKeyId + ", skipSignature=" + skipSignature + ", virtualHosted="
                + virtualHosted + "]";
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
        // a bucket with an auth_type is always signed, with its source's credentials (as multistore clears it)
        boolean skipSignature = flag(bucket, "skip_signature") && bucket.option("auth_type").isEmpty();
        boolean virtualHosted = endpoint == null ? DNS_LABEL.matcher(bucketName).matches()
                : flag(bucket, "virtual_hosted_style_request");
        return new S3StoreOptions(endpoint, region, bucketName, keyId.orElse(null), secret.orElse(null),
                bucket.option("session_token").orElse(null), skipSignature, virtualHosted);
    }

    /** A bucket name usable as one host label (no dots: those break TLS wildcard certificates). */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    private static boolean flag(BucketConfig bucket, String name) {
        return bucket.option(name).map(v -> v.trim().toLowerCase(Locale.ROOT)).map(v -> v.equals("true"))
                .orElse(false);
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

    /** An operator's mistake: {@link S3Backend} logs it once and answers 503 without the detail. */
    private static IllegalArgumentException invalid(BucketConfig bucket, String message) {
        return new IllegalArgumentException("bucket " + bucket.name() + ": " + message);
    }
}
