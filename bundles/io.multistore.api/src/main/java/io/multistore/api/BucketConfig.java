package io.multistore.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A virtual bucket as clients see it, and where it lives.
 *
 * @param name            the bucket name clients use
 * @param backendType     which backend serves it ({@code s3}, {@code az}, {@code gcs}, {@code fs})
 * @param backendPrefix   key prefix inside the backend bucket, normalized as multistore joins it: trailing
 *                        {@code /} trimmed, then one {@code /} added, so {@code "v2"} and {@code "v2/"} both become
 *                        {@code "v2/"} and map {@code k} to {@code v2/k}; empty for none
 * @param anonymousAccess whether unauthenticated callers may read and list
 * @param allowedRoles    role ids whose temporary credentials may use this bucket
 * @param backendOptions  backend-specific settings ({@code endpoint}, {@code bucket_name}, ...)
 * @param cors            the bucket's CORS rules; {@code null} when the bucket sets none, so the gateway's default
 *                        rules apply; empty for no CORS at all
 * @param pattern         {@code null} for a configured bucket; for a bucket served by a gateway-mode entry (one
 *                        whose name is a pattern such as {@code logs-*}), that entry's name: the gateway made this
 *                        configuration for the requested name, so its backend container may not exist yet and a
 *                        backend must not create it on open (only CreateBucket does)
 */
public record BucketConfig(String name, String backendType, String backendPrefix, boolean anonymousAccess,
        List<String> allowedRoles, Map<String, String> backendOptions, List<CorsRule> cors, String pattern) {

    /** Options whose values are shown when a configuration is printed; every other value is redacted. */
    private static final Set<String> PRINTABLE_OPTIONS = Set.of("endpoint", "region", "bucket_name", "bucket",
            "container_name", "account_name", "root", "allow_http", "skip_signature", "virtual_hosted_style_request",
            "auth_type", "oidc_role_arn", "oidc_subject", "sts_endpoint", "google_bucket", "google_bucket_name");

    public BucketConfig {
        backendPrefix = normalizePrefix(backendPrefix);
        allowedRoles = allowedRoles == null ? List.of() : List.copyOf(allowedRoles);
        backendOptions = backendOptions == null ? Map.of() : Map.copyOf(backendOptions);
        cors = cors == null ? null : List.copyOf(cors);
    }

    /** A configured bucket (not served through a pattern) without CORS rules of its own. */
    public BucketConfig(String name, String backendType, String backendPrefix, boolean anonymousAccess,
            List<String> allowedRoles, Map<String, String> backendOptions) {
        this(name, backendType, backendPrefix, anonymousAccess, allowedRoles, backendOptions, null, null);
    }

    /** A configured bucket (not served through a pattern). */
    public BucketConfig(String name, String backendType, String backendPrefix, boolean anonymousAccess,
            List<String> allowedRoles, Map<String, String> backendOptions, List<CorsRule> cors) {
        this(name, backendType, backendPrefix, anonymousAccess, allowedRoles, backendOptions, cors, null);
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        int end = prefix.length();
        while (end > 0 && prefix.charAt(end - 1) == '/') {
            end--;
        }
        return end == 0 ? "" : prefix.substring(0, end) + "/";
    }

    /** A backend option, if set and not blank. */
    public Optional<String> option(String key) {
        String value = backendOptions.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** Prints the configuration with every option value that may be a secret redacted. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        backendOptions.forEach((k, v) -> shown.put(k, PRINTABLE_OPTIONS.contains(k) ? v : "<redacted>"));
        return "BucketConfig[name=" + name + ", backendType=" + backendType + ", backendPrefix=" + backendPrefix
                + ", anonymousAccess=" + anonymousAccess + ", allowedRoles=" + allowedRoles + ", backendOptions="
                + shown + (cors == null ? "" : ", cors=" + cors) + (pattern == null ? "" : ", pattern=" + pattern)
                + "]";
    }
}
