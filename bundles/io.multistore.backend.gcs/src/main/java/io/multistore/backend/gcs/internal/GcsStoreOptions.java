package io.multistore.backend.gcs.internal;

import io.multistore.api.BucketConfig;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A GCS bucket's {@code backend_options}, under the option names of the Rust {@code object_store} crate's
 * {@code GoogleCloudStorageBuilder} (each with its {@code google_} alias), plus {@code endpoint}.
 * <p>
 * Credentials, first match wins: {@code service_account_key} (the JSON itself), {@code service_account_path} (a file
 * holding it), {@code application_credentials} (a file in any of Google's credential formats), {@code bearer_token}
 * (a ready OAuth2 access token), {@code skip_signature} (no credentials: public buckets and emulators); without any
 * of them, Application Default Credentials. {@code toString()} never shows a key, a token or a path.
 *
 * @param bucketName          the GCS bucket
 * @param endpoint            the service root ({@code https://storage.googleapis.com} unless set)
 * @param serviceAccountKey   service account JSON, or {@code null}
 * @param serviceAccountPath  path of a service account JSON file, or {@code null}
 * @param applicationCredentials path of a credentials file, or {@code null}
 * @param bearerToken         an OAuth2 access token, or {@code null}
 * @param skipSignature       send requests without credentials
 * @param projectId           the project new buckets are created in (CreateBucket), or {@code null}
 */
record GcsStoreOptions(String bucketName, URI endpoint, String serviceAccountKey, String serviceAccountPath,
        String applicationCredentials, String bearerToken, boolean skipSignature, String projectId) {

    static final URI DEFAULT_ENDPOINT = URI.create("https://storage.googleapis.com");

    private static final List<String> BUCKET = List.of("bucket_name", "google_bucket", "google_bucket_name",
            "bucket");
    private static final List<String> SERVICE_ACCOUNT_KEY = List.of("service_account_key",
            "google_service_account_key");
    private static final List<String> SERVICE_ACCOUNT_PATH = List.of("service_account_path", "service_account",
            "google_service_account", "google_service_account_path");
    private static final List<String> APPLICATION_CREDENTIALS = List.of("application_credentials",
            "google_application_credentials");
    private static final List<String> BEARER_TOKEN = List.of("bearer_token", "google_bearer_token");
    private static final List<String> SKIP_SIGNATURE = List.of("skip_signature", "google_skip_signature");
    private static final List<String> ENDPOINT = List.of("endpoint", "base_url", "google_base_url");
    private static final List<String> PROJECT = List.of("project_id", "google_project_id");
    /** Accepted for compatibility: an {@code http://} endpoint is always allowed here. */
    private static final List<String> ALLOW_HTTP = List.of("allow_http", "google_allow_http");
    /** {@code auth_type = "oidc"}: read by the OIDC bundle (workload identity federation), not by this backend. */
    private static final List<String> OIDC = List.of("auth_type", "oidc_subject", "oidc_audience",
            "oidc_workload_identity_provider", "oidc_service_account", "sts_endpoint", "oidc_iam_endpoint");

    /** Every option name this backend understands. */
    static final Set<String> NAMES = names();

    private static Set<String> names() {
        java.util.HashSet<String> all = new java.util.HashSet<>();
        for (List<String> aliases : List.of(BUCKET, SERVICE_ACCOUNT_KEY, SERVICE_ACCOUNT_PATH,
                APPLICATION_CREDENTIALS, BEARER_TOKEN, SKIP_SIGNATURE, ENDPOINT, PROJECT, ALLOW_HTTP, OIDC)) {
            all.addAll(aliases);
        }
        return Set.copyOf(all);
    }

    /**
     * @throws IllegalArgumentException for options that cannot work (the message names the option, never its value)
     */
    static GcsStoreOptions from(BucketConfig bucket) {
        Map<String, String> options = bucket.backendOptions();
        String name = first(options, BUCKET);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("bucket_name is required");
        }
        String endpointText = first(options, ENDPOINT);
        URI endpoint = DEFAULT_ENDPOINT;
        if (endpointText != null && !endpointText.isBlank()) {
            try {
                endpoint = URI.create(endpointText.trim().replaceAll("/+$", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("endpoint is not a URL");
            }
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
                throw new IllegalArgumentException("endpoint must be an http:// or https:// URL");
            }
        }
        String skip = first(options, SKIP_SIGNATURE);
        boolean skipSignature = skip != null && (skip.equalsIgnoreCase("true") || skip.equals("1"));
        return new GcsStoreOptions(name.trim(), endpoint, blankToNull(first(options, SERVICE_ACCOUNT_KEY)),
                blankToNull(first(options, SERVICE_ACCOUNT_PATH)),
                blankToNull(first(options, APPLICATION_CREDENTIALS)), blankToNull(first(options, BEARER_TOKEN)),
                skipSignature, blankToNull(first(options, PROJECT)));
    }

    /** Whether the store is Google's own service (not an emulator or private endpoint). */
    boolean googleEndpoint() {
        return DEFAULT_ENDPOINT.equals(endpoint);
    }

    private static String first(Map<String, String> options, List<String> aliases) {
        for (String alias : aliases) {
            String value = options.get(alias);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        String credentials = serviceAccountKey != null ? "service_account_key"
                : serviceAccountPath != null ? "service_account_path"
                : applicationCredentials != null ? "application_credentials"
                : bearerToken != null ? "bearer_token"
                : skipSignature ? "none (skip_signature)" : "application default";
        return "GcsStoreOptions[bucket=" + bucketName + ", credentials=" + credentials + "]";
    }
}
