package io.multistore.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A virtual bucket as clients see it, and where it lives.
 *
 * @param name            the bucket name clients use
 * @param backendType     which backend serves it ({@code s3}, {@code az}, {@code gcs}, {@code fs})
 * @param backendPrefix   key prefix inside the backend bucket, prepended on the way in and stripped from listings;
 *                        empty for none
 * @param anonymousAccess whether unauthenticated callers may read and list
 * @param allowedRoles    role ids whose temporary credentials may use this bucket
 * @param backendOptions  backend-specific settings ({@code endpoint}, {@code bucket_name}, ...)
 */
public record BucketConfig(String name, String backendType, String backendPrefix, boolean anonymousAccess,
        List<String> allowedRoles, Map<String, String> backendOptions) {

    public BucketConfig {
        backendPrefix = backendPrefix == null ? "" : backendPrefix;
        allowedRoles = allowedRoles == null ? List.of() : List.copyOf(allowedRoles);
        backendOptions = backendOptions == null ? Map.of() : Map.copyOf(backendOptions);
    }

    /** A backend option, if set and not blank. */
    public Optional<String> option(String key) {
        String value = backendOptions.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
