package io.multistore.core.internal.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AuthorizerTest {

    static final BucketConfig PRIVATE = new BucketConfig("private", "fs", "", false, List.of(), null);
    static final BucketConfig PUBLIC = new BucketConfig("public", "fs", "", true, List.of(), null);
    static final BucketConfig ROLES = new BucketConfig("roles", "fs", "", false, List.of("reader"), null);

    static Identity.LongLived longLived(AccessScope... scopes) {
        return new Identity.LongLived("AK", "alice", List.of(scopes));
    }

    static Identity.Temporary temporary(String roleId, AccessScope... scopes) {
        return new Identity.Temporary("ASIA", roleId, "sub", Instant.parse("2030-01-01T00:00:00Z"), List.of(scopes));
    }

    static AccessScope scope(String bucket, List<String> prefixes, Action... actions) {
        return new AccessScope(bucket, prefixes, Set.of(actions));
    }

    static boolean allowed(Identity identity, BucketConfig bucket, Action action, String key) {
        try {
            Authorizer.authorize(identity, bucket, action, key);
            return true;
        } catch (S3Exception e) {
            assertEquals(S3ErrorCode.AccessDenied, e.code());
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void anonymousMayOnlyReadPublicBuckets(Action action) {
        boolean read = Set.of(Action.GET_OBJECT, Action.HEAD_OBJECT, Action.LIST_BUCKET).contains(action);
        assertEquals(read, allowed(Identity.ANONYMOUS, PUBLIC, action, "k"));
        assertFalse(allowed(Identity.ANONYMOUS, PRIVATE, action, "k"));
    }

    /** scope prefix | key | allowed */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "data/    | data/file.txt          | true",
        "data/    | data/sub/file.txt      | true",
        "data/    | data                   | false",
        "data/    | database/dump.sql      | false",
        "data     | data                   | true",
        "data     | data/file.txt          | true",
        "data     | data-private/secret    | false",
        "data     | database/dump.sql      | false",
        "data     | other/data             | false",
        "a/b      | a/b/c                  | true",
        "a/b      | a/bc                   | false",
        "''       | anything/at/all        | true",
    })
    void objectKeysMatchScopePrefixes(String prefix, String key, boolean expected) {
        Identity identity = longLived(scope("private", List.of(prefix), Action.GET_OBJECT));
        assertEquals(expected, allowed(identity, PRIVATE, Action.GET_OBJECT, key), prefix + " vs " + key);
    }

    /** scope prefix | list prefix | allowed */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "data/    | data/       | true",
        "data/    | data/2026/  | true",
        "data/    | ''          | false",
        "data/    | dat         | false",
        "data     | data        | true",
        "data     | data/       | true",
        "data     | ''          | false",
        "data     | database    | false",
    })
    void listPrefixesMustFallWithinAScopePrefix(String prefix, String listPrefix, boolean expected) {
        Identity identity = longLived(scope("private", List.of(prefix), Action.LIST_BUCKET));
        assertEquals(expected, allowed(identity, PRIVATE, Action.LIST_BUCKET, listPrefix));
    }

    @Test
    void wholeBucketScopesAllowEverythingTheyName() {
        Identity identity = longLived(scope("private", List.of(), Action.GET_OBJECT, Action.LIST_BUCKET,
                Action.DELETE_BUCKET));
        assertTrue(allowed(identity, PRIVATE, Action.GET_OBJECT, "any/key"));
        assertTrue(allowed(identity, PRIVATE, Action.LIST_BUCKET, ""));
        assertTrue(allowed(identity, PRIVATE, Action.DELETE_BUCKET, null));
        assertFalse(allowed(identity, PRIVATE, Action.PUT_OBJECT, "any/key"));
        assertFalse(allowed(identity, PUBLIC, Action.PUT_OBJECT, "any/key"));
    }

    @Test
    void bucketLevelOperationsNeedAWholeBucketScope() {
        Identity identity = longLived(scope("private", List.of("data/"), Action.LIST_MULTIPART_UPLOADS,
                Action.DELETE_BUCKET));
        assertFalse(allowed(identity, PRIVATE, Action.DELETE_BUCKET, null));
        assertTrue(allowed(identity, PRIVATE, Action.LIST_MULTIPART_UPLOADS, "data/"));
    }

    @Test
    void wildcardBucketScopesMatchEveryBucket() {
        Identity identity = longLived(scope("*", List.of(), Action.PUT_OBJECT));
        assertTrue(allowed(identity, PRIVATE, Action.PUT_OBJECT, "k"));
        assertTrue(allowed(identity, PUBLIC, Action.PUT_OBJECT, "k"));
        Identity other = longLived(scope("elsewhere", List.of(), Action.PUT_OBJECT));
        assertFalse(allowed(other, PRIVATE, Action.PUT_OBJECT, "k"));
    }

    @Test
    void anyMatchingScopeSuffices() {
        Identity identity = longLived(scope("private", List.of("a/"), Action.GET_OBJECT),
                scope("private", List.of("b/"), Action.PUT_OBJECT));
        assertTrue(allowed(identity, PRIVATE, Action.GET_OBJECT, "a/1"));
        assertTrue(allowed(identity, PRIVATE, Action.PUT_OBJECT, "b/1"));
        assertFalse(allowed(identity, PRIVATE, Action.PUT_OBJECT, "a/1"));
    }

    @Test
    void authenticatedCallersKeepAnonymousReadRights() {
        Identity identity = longLived(scope("private", List.of(), Action.GET_OBJECT));
        assertTrue(allowed(identity, PUBLIC, Action.GET_OBJECT, "k"));
        assertTrue(allowed(identity, PUBLIC, Action.LIST_BUCKET, ""));
        assertFalse(allowed(identity, PUBLIC, Action.DELETE_OBJECT, "k"));
    }

    @Test
    void temporaryCredentialsNeedAnAllowedRole() {
        AccessScope all = scope("*", List.of(), Action.GET_OBJECT);
        assertTrue(allowed(temporary("reader", all), ROLES, Action.GET_OBJECT, "k"));
        assertFalse(allowed(temporary("writer", all), ROLES, Action.GET_OBJECT, "k"));
        // no allowed_roles: any role whose scopes match
        assertTrue(allowed(temporary("writer", all), PRIVATE, Action.GET_OBJECT, "k"));
        assertFalse(Authorizer.canSee(temporary("writer", all), ROLES));
        assertTrue(Authorizer.canSee(temporary("reader", all), ROLES));
    }

    @Test
    void deniedCarriesAccessDenied() {
        S3Exception e = assertThrows(S3Exception.class,
                () -> Authorizer.authorize(Identity.ANONYMOUS, PRIVATE, Action.GET_OBJECT, "k"));
        assertEquals(403, e.status());
        assertDoesNotThrow(() -> Authorizer.authorize(Identity.ANONYMOUS, PUBLIC, Action.GET_OBJECT, "k"));
    }

    @Test
    void canSeeBucketsWithAScopeOrAnonymousAccess() {
        assertTrue(Authorizer.canSee(Identity.ANONYMOUS, PUBLIC));
        assertFalse(Authorizer.canSee(Identity.ANONYMOUS, PRIVATE));
        Identity scoped = longLived(scope("private", List.of("x/"), Action.GET_OBJECT));
        assertTrue(Authorizer.canSee(scoped, PRIVATE));
        assertTrue(Authorizer.canSee(scoped, PUBLIC));
        assertFalse(Authorizer.canSee(scoped, ROLES));
        assertTrue(Authorizer.canSee(longLived(scope("*", List.of(), Action.GET_OBJECT)), ROLES));
    }
}
