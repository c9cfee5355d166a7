package io.multistore.core.internal.auth;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Multistore's access rules: anonymous reads on buckets that allow them, and for credentials the scopes they carry
 * (bucket or {@code *}, actions, key prefixes).
 */
public final class Authorizer {

    /**
     * What anyone, signed in or not, may do on a bucket with {@code anonymous_access}: read the current objects,
     * never older versions (as multistore decides: {@code get_object_version} must be granted explicitly).
     */
    private static final Set<Action> ANONYMOUS_ACTIONS =
            EnumSet.of(Action.GET_OBJECT, Action.HEAD_OBJECT, Action.LIST_BUCKET);

    private Authorizer() {
    }

    /**
     * @param key the object key; for list operations the list prefix ({@code ""} for none); {@code null} for
     *            bucket-level operations, which only a scope covering the whole bucket allows
     * @throws S3Exception {@code AccessDenied}
     */
    public static void authorize(Identity identity, BucketConfig bucket, Action action, String key) {
        if (!allowed(identity, bucket, action, key)) {
            throw new S3Exception(S3ErrorCode.AccessDenied, "Access Denied", bucket.name(), null);
        }
    }

    /** For ListBuckets: whether the identity may see this bucket at all. */
    public static boolean canSee(Identity identity, BucketConfig bucket) {
        if (bucket.anonymousAccess()) {
            return true;
        }
        List<AccessScope> scopes = scopes(identity, bucket);
        for (AccessScope scope : scopes) {
            if (bucketMatches(scope, bucket)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any scope grants the action somewhere in the bucket (for requests that name their keys later). */
    public static boolean mayAnywhere(Identity identity, BucketConfig bucket, Action action) {
        if (bucket.anonymousAccess() && ANONYMOUS_ACTIONS.contains(action)) {
            return true;
        }
        for (AccessScope scope : scopes(identity, bucket)) {
            if (bucketMatches(scope, bucket) && scope.actions().contains(action)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a listing the caller may make can still reach past its scope. A scope prefix without a trailing
     * {@code /} ({@code data}) covers the key {@code data} and the keys under {@code data/}; a listing of prefix
     * {@code data} would also find {@code data-private/} and {@code database/}. Then the listing must be narrowed
     * to what the scope covers, never filtered afterwards: a continuation token or marker would name the hidden key.
     *
     * @param listPrefix the listing's prefix, already authorized
     * @return {@code null} when every key under {@code listPrefix} is visible, else the scope prefix (equal to
     *         {@code listPrefix}) whose exact key and {@code /} subtree are all that may be shown
     */
    public static String listingNarrowing(Identity identity, BucketConfig bucket, Action action, String listPrefix) {
        if (bucket.anonymousAccess() && ANONYMOUS_ACTIONS.contains(action)) {
            return null;
        }
        boolean exactScope = false;
        for (AccessScope scope : scopes(identity, bucket)) {
            if (!bucketMatches(scope, bucket) || !scope.actions().contains(action)) {
                continue;
            }
            if (scope.prefixes().isEmpty()) {
                return null;
            }
            for (String prefix : scope.prefixes()) {
                boolean subtree = prefix.isEmpty() || prefix.endsWith("/") ? listPrefix.startsWith(prefix)
                        : listPrefix.startsWith(prefix + "/");
                if (subtree) {
                    return null;
                }
                exactScope |= prefix.equals(listPrefix);
            }
        }
        return exactScope ? listPrefix : null;
    }

    static boolean allowed(Identity identity, BucketConfig bucket, Action action, String key) {
        if (bucket.anonymousAccess() && ANONYMOUS_ACTIONS.contains(action)) {
            return true;
        }
        for (AccessScope scope : scopes(identity, bucket)) {
            if (bucketMatches(scope, bucket) && scope.actions().contains(action) && keyMatches(scope, key)) {
                return true;
            }
        }
        return false;
    }

    /** The scopes that apply on this bucket: none for anonymous callers or roles the bucket does not allow. */
    private static List<AccessScope> scopes(Identity identity, BucketConfig bucket) {
        if (identity instanceof Identity.LongLived longLived) {
            return longLived.scopes();
        }
        if (identity instanceof Identity.Temporary temporary) {
            List<String> allowedRoles = bucket.allowedRoles();
            if (!allowedRoles.isEmpty() && !allowedRoles.contains(temporary.roleId())) {
                return List.of();
            }
            return temporary.scopes();
        }
        return List.of();
    }

    private static boolean bucketMatches(AccessScope scope, BucketConfig bucket) {
        return "*".equals(scope.bucket()) || scope.bucket().equals(bucket.name());
    }

    private static boolean keyMatches(AccessScope scope, String key) {
        if (scope.prefixes().isEmpty()) {
            return true;
        }
        if (key == null) {
            return false;
        }
        for (String prefix : scope.prefixes()) {
            if (keyMatchesPrefix(key, prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A prefix ending in {@code /} (or empty) matches the keys under it; one without matches the key itself or the
     * keys under it as a directory, so {@code data} does not leak {@code data-private/}.
     */
    static boolean keyMatchesPrefix(String key, String prefix) {
        if (prefix.isEmpty() || prefix.endsWith("/")) {
            return key.startsWith(prefix);
        }
        return key.equals(prefix) || key.startsWith(prefix) && key.length() > prefix.length()
                && key.charAt(prefix.length()) == '/';
    }
}
