package io.multistore.itests.e2e;

import io.multistore.testsupport.AzuriteServer;
import io.multistore.testsupport.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;

/** The end-to-end fixture shared by the e2e tests and the load harness: credentials and the gateway's config. */
public final class E2E {
    public static final String KEY = "AKIDE2E0000000000001";
    public static final String SECRET = "e2e-secret-0000000000000000000000000001";
    public static final String READER_KEY = "AKIDE2E0000000000002";
    public static final String READER_SECRET = "e2e-secret-0000000000000000000000000002";
    public static final String DISABLED_KEY = "AKIDE2E0000000000003";
    public static final String EXPIRED_KEY = "AKIDE2E0000000000004";

    private E2E() {
    }

    /**
     * A gateway config over fake-gcs-server's bucket {@code backend}: {@code data} ({@code gcs}, prefix {@code gw/})
     * and {@code alias} ({@code gs}, prefix {@code alias}), both keyed.
     */
    public static String gcsConfig(io.multistore.testsupport.FakeGcsServer gcs) {
        String options = """
                [buckets.backend_options]
                endpoint = "%s"
                bucket_name = "backend"
                skip_signature = "true"
                """.formatted(gcs.endpoint());
        return """
                [[buckets]]
                name = "data"
                backend_type = "gcs"
                backend_prefix = "gw/"
                anonymous_access = false
                %1$s
                [[buckets]]
                name = "alias"
                backend_type = "gs"
                backend_prefix = "alias"
                anonymous_access = false
                %1$s
                [[credentials]]
                access_key_id = "%2$s"
                secret_access_key = "%3$s"
                principal_name = "gcs-e2e"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "*"
                actions = ["get_object", "head_object", "put_object", "delete_object", "list_bucket",
                           "create_multipart_upload", "upload_part", "complete_multipart_upload",
                           "abort_multipart_upload", "list_parts", "list_multipart_uploads"]
                """.formatted(options, E2E.KEY, E2E.SECRET);
    }

    /** A gateway config with one {@code fs} bucket {@code local} at {@code root}, and {@link #KEY} allowed {@code actions}. */
    public static String fsConfig(java.nio.file.Path root, boolean anonymous, String principal, String actions) {
        return """
                [[buckets]]
                name = "local"
                backend_type = "fs"
                anonymous_access = %s
                [buckets.backend_options]
                root = "%s"

                [[credentials]]
                access_key_id = "%s"
                secret_access_key = "%s"
                principal_name = "%s"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "local"
                actions = [%s]
                """.formatted(anonymous, root, KEY, SECRET, principal, actions);
    }

    /** The {@code backend_options} of a bucket on S3Proxy's bucket {@code backend}. */
    public static String s3Options(S3ProxyServer s3) {
        return """
                [buckets.backend_options]
                endpoint = "%s"
                region = "us-east-1"
                bucket_name = "backend"
                access_key_id = "%s"
                secret_access_key = "%s"
                """.formatted(s3.endpoint(), s3.identity(), s3.credential());
    }

    /** A gateway config over S3Proxy: {@code data} (keyed), {@code public} (anonymous reads), {@code hidden}. */
    public static String config(S3ProxyServer s3) {
        String options = s3Options(s3);
        String all = "[\"get_object\", \"head_object\", \"put_object\", \"delete_object\", \"list_bucket\", "
                + "\"create_multipart_upload\", \"upload_part\", \"complete_multipart_upload\", "
                + "\"abort_multipart_upload\", \"list_parts\", \"list_multipart_uploads\"]";
        return """
                [[buckets]]
                name = "data"
                backend_type = "s3"
                backend_prefix = "gw/"
                anonymous_access = false
                %1$s
                [[buckets]]
                name = "public"
                backend_type = "s3"
                backend_prefix = "pub/"
                anonymous_access = true
                %1$s
                [[buckets]]
                name = "hidden"
                backend_type = "s3"
                backend_prefix = "hidden/"
                anonymous_access = false
                %1$s
                [[credentials]]
                access_key_id = "%2$s"
                secret_access_key = "%3$s"
                principal_name = "e2e"
                created_at = "2026-01-01T00:00:00Z"
                enabled = true
                [[credentials.allowed_scopes]]
                bucket = "data"
                prefixes = []
                actions = %6$s
                [[credentials.allowed_scopes]]
                bucket = "public"
                prefixes = []
                actions = %6$s

                [[credentials]]
                access_key_id = "%4$s"
                secret_access_key = "%5$s"
                principal_name = "reader"
                created_at = "2026-01-01T00:00:00Z"
                enabled = true
                [[credentials.allowed_scopes]]
                bucket = "data"
                prefixes = ["shared"]
                actions = ["get_object", "head_object", "list_bucket"]

                [[credentials]]
                access_key_id = "%7$s"
                secret_access_key = "%3$s"
                principal_name = "disabled"
                created_at = "2026-01-01T00:00:00Z"
                enabled = false
                [[credentials.allowed_scopes]]
                bucket = "*"
                actions = %6$s

                [[credentials]]
                access_key_id = "%8$s"
                secret_access_key = "%3$s"
                principal_name = "expired"
                created_at = "2026-01-01T00:00:00Z"
                expires_at = "2026-01-02T00:00:00Z"
                enabled = true
                [[credentials.allowed_scopes]]
                bucket = "*"
                actions = %6$s
                """.formatted(options, KEY, SECRET, READER_KEY, READER_SECRET, all, DISABLED_KEY, EXPIRED_KEY);
    }

    /**
     * The headers of a PUT signed for {@link #KEY} with {@code UNSIGNED-PAYLOAD}, for tests that send the body
     * themselves (a raw socket that stops half-way).
     */
    public static java.util.Map<String, String> signedPut(java.net.URI uri, long contentLength) {
        software.amazon.awssdk.http.SdkHttpRequest request = software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.PUT).uri(uri)
                .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                .putHeader("Content-Length", Long.toString(contentLength)).build();
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
                .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(KEY, SECRET))
                .request(request)
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED,
                        false));
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Length")) {
                headers.put(name, String.join(",", values));
            }
        });
        return headers;
    }

    /**
     * Streams {@code size} pseudo-random bytes up and back down through the gateway and checks they arrive intact,
     * and that the server did not run out of memory doing it; then deletes the object.
     */
    public static void largeRoundTrip(S3Client client, MultistoreServer server, String bucket, String key, long size)
            throws Exception {
        PatternStream source = new PatternStream(size, size ^ key.hashCode());
        client.putObject(b -> b.bucket(bucket).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromContentProvider(() -> source, size,
                        "application/octet-stream"));
        byte[] sent = source.sha256();
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        long received = 0;
        try (java.io.InputStream in = client.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; received += n) {
                digest.update(buffer, 0, n);
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(size, received);
        org.junit.jupiter.api.Assertions.assertArrayEquals(sent, digest.digest());
        org.junit.jupiter.api.Assertions.assertFalse(server.log().contains("OutOfMemoryError"),
                "the server ran out of memory");
        client.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /**
     * A gateway config over Azurite's container {@code gateway}: {@code az} (prefix {@code gw}) and {@code alias}
     * (backend_type {@code azure}, prefix {@code alias/}), one keyed credential for both.
     */
    public static String azureConfig(AzuriteServer azurite) {
        String options = """
                [buckets.backend_options]
                endpoint = "%s"
                account_name = "%s"
                container_name = "gateway"
                access_key = "%s"
                """.formatted(azurite.endpoint(), AzuriteServer.ACCOUNT, AzuriteServer.ACCOUNT_KEY);
        return """
                [[buckets]]
                name = "az"
                backend_type = "az"
                backend_prefix = "gw"
                anonymous_access = false
                %1$s
                [[buckets]]
                name = "alias"
                backend_type = "azure"
                backend_prefix = "alias/"
                anonymous_access = false
                %1$s
                [[credentials]]
                access_key_id = "%2$s"
                secret_access_key = "%3$s"
                principal_name = "e2e"
                created_at = "2026-01-01T00:00:00Z"
                enabled = true
                [[credentials.allowed_scopes]]
                bucket = "*"
                prefixes = []
                actions = ["get_object", "head_object", "put_object", "delete_object", "list_bucket", \
                "create_multipart_upload", "upload_part", "complete_multipart_upload", "abort_multipart_upload", \
                "list_parts", "list_multipart_uploads"]
                """.formatted(options, E2E.KEY, E2E.SECRET);
    }

    /** Every object, version and bucket-administration action, as a TOML list. */
    public static final String ALL_ACTIONS = "[\"get_object\", \"get_object_version\", \"head_object\", "
            + "\"put_object\", \"delete_object\", \"list_bucket\", \"create_bucket\", \"create_multipart_upload\", "
            + "\"upload_part\", \"complete_multipart_upload\", \"abort_multipart_upload\"]";

    /** A {@code [[buckets]]} entry on an S3 store (backend_type {@code s3}, keyed, region us-east-1). */
    public static String s3Bucket(String name, String prefix, String endpoint, String bucketName, String accessKey,
            String secretKey) {
        return """
                [[buckets]]
                name = "%s"
                backend_type = "s3"
                backend_prefix = "%s"
                anonymous_access = false
                [buckets.backend_options]
                endpoint = "%s"
                region = "us-east-1"
                bucket_name = "%s"
                access_key_id = "%s"
                secret_access_key = "%s"
                """.formatted(name, prefix, endpoint, bucketName, accessKey, secretKey);
    }

    /** A {@code [[credentials]]} entry with one scope over a whole bucket ({@code *} for all). */
    public static String credential(String accessKey, String secretKey, String principal, String bucket,
            String actions) {
        return """
                [[credentials]]
                access_key_id = "%s"
                secret_access_key = "%s"
                principal_name = "%s"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "%s"
                actions = %s
                """.formatted(accessKey, secretKey, principal, bucket, actions);
    }

    /** The server opens its port before every bundle has started; the first listing succeeds once wired. */
    public static void awaitReady(S3Client client, MultistoreServer server, String bucket) {
        server.await("the gateway to serve bucket " + bucket, java.time.Duration.ofSeconds(60), () -> {
            try {
                client.listObjectsV2(b -> b.bucket(bucket));
                return true;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }
}
