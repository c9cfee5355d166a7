package io.multistore.config.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigChangeListener.Kind;
import io.multistore.api.config.ConfigProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ConfigProvider} must do, whatever its store. A provider's test extends this class and supplies
 * only the fixture: how to store a record (given as its JSON form, the one every network store keeps), how to start
 * the provider, and optionally how to take its store down.
 * <p>
 * The suite stores the same records for every provider before each test: buckets {@code alpha} (every field set)
 * and {@code beta} (minimal), role {@code ci} (legacy {@code required_audience} as a string, default session
 * length), credentials {@code AKIDCONFORMANCE00001} (expiring, disabled) and {@code AKIDCONFORMANCE00002}.
 */
public abstract class ConfigProviderConformance {

    public static final String ALPHA = """
            {"name": "alpha", "backend_type": "s3", "backend_prefix": "team-a/", "anonymous_access": false,
             "allowed_roles": ["ci"],
             "backend_options": {"endpoint": "http://127.0.0.1:9000", "bucket_name": "store", "skip_signature": true,
                                 "max_retries": 3}}""";
    public static final String BETA = """
            {"name": "beta", "backend_type": "fs", "anonymous_access": true}""";
    public static final String ROLE_CI = """
            {"role_id": "ci", "name": "CI", "trusted_oidc_issuers": ["https://token.example.com"],
             "required_audience": "sts.example.com", "subject_conditions": ["repo:org/*"],
             "allowed_scopes": [{"bucket": "alpha", "prefixes": ["builds/"], "actions": ["get_object", "put_object"]}]}""";
    public static final String CRED_1 = """
            {"access_key_id": "AKIDCONFORMANCE00001", "secret_access_key": "conformance-secret-1",
             "principal_name": "alice", "created_at": "2024-01-02T03:04:05Z", "expires_at": "2030-01-01T00:00:00+01:00",
             "enabled": false,
             "allowed_scopes": [{"bucket": "*", "prefixes": [], "actions": ["list_bucket"]}]}""";
    public static final String CRED_2 = """
            {"access_key_id": "AKIDCONFORMANCE00002", "secret_access_key": "conformance-secret-2",
             "principal_name": "bob", "created_at": "2024-01-01T00:00:00Z",
             "allowed_scopes": [{"bucket": "beta", "actions": ["get_object"]}]}""";

    /** Stores (or replaces) one record in the provider's store. */
    protected abstract void put(Kind kind, String id, String json) throws Exception;

    /** Removes one record from the store. */
    protected abstract void delete(Kind kind, String id) throws Exception;

    /** Starts the provider over the store as it is now. Called once per test, after the records are stored. */
    protected abstract ConfigProvider start() throws Exception;

    /** Stops the provider (and anything the fixture started for the test). */
    protected abstract void stop() throws Exception;

    /**
     * Whether a record that is not valid is rejected alone while the others keep serving. A file provider rejects
     * the whole file instead (and keeps the previous one): it answers {@code false}.
     */
    protected boolean rejectsInvalidRecordsAlone() {
        return true;
    }

    /**
     * Whether the store can hold a record that is not JSON at all (DynamoDB's {@code config_json} string can;
     * PostgreSQL's JSONB column and a control plane that serves its listing as one JSON document cannot).
     */
    protected boolean storesTextThatIsNotJson() {
        return true;
    }

    /** Takes the store down (the provider stays up); {@code false} if the fixture cannot. */
    protected boolean takeStoreDown() throws Exception {
        return false;
    }

    /** Brings the store back after {@link #takeStoreDown()}. */
    protected void bringStoreBack() throws Exception {
    }

    /** How long a change in the store may take to show (a file provider polls; network providers read through). */
    protected Duration changeVisibleWithin() {
        return Duration.ZERO;
    }

    private ConfigProvider provider;

    @BeforeEach
    void storeRecordsAndStart() throws Exception {
        put(Kind.BUCKET, "alpha", ALPHA);
        put(Kind.BUCKET, "beta", BETA);
        put(Kind.ROLE, "ci", ROLE_CI);
        put(Kind.CREDENTIAL, "AKIDCONFORMANCE00001", CRED_1);
        put(Kind.CREDENTIAL, "AKIDCONFORMANCE00002", CRED_2);
        provider = start();
    }

    @AfterEach
    void stopProvider() throws Exception {
        stop();
    }

    @Test
    void bucketWithEveryFieldIsReadAsWritten() {
        BucketConfig alpha = provider.bucket("alpha").orElseThrow();
        assertEquals(new BucketConfig("alpha", "s3", "team-a/", false, List.of("ci"), Map.of(
                "endpoint", "http://127.0.0.1:9000", "bucket_name", "store", "skip_signature", "true",
                "max_retries", "3")), alpha);
    }

    @Test
    void minimalBucketGetsTheDefaults() {
        assertEquals(new BucketConfig("beta", "fs", "", true, List.of(), Map.of()),
                provider.bucket("beta").orElseThrow());
    }

    @Test
    void unknownIdsAreAbsentNotErrors() {
        assertTrue(provider.bucket("gamma").isEmpty());
        assertTrue(provider.role("nobody").isEmpty());
        assertTrue(provider.credential("AKIDUNKNOWN000000000").isEmpty());
    }

    @Test
    void idsThatCannotBeRecordKeysAreAbsent() {
        for (String odd : List.of("..", "a/b", "../alpha", "alpha/..", "al%2Fpha", "x\u0000y", " alpha", "ALPHA",
                "?x=1", "#frag", "alpha\\")) {
            assertTrue(provider.bucket(odd).isEmpty(), () -> "bucket " + odd);
            assertTrue(provider.role(odd).isEmpty(), () -> "role " + odd);
            assertTrue(provider.credential(odd).isEmpty(), () -> "credential " + odd);
        }
    }

    @Test
    void listingHasEveryBucket() {
        assertEquals(Set.of("alpha", "beta"), names(provider.buckets()));
    }

    @Test
    void roleWithLegacyAudienceAndDefaultSessionLength() {
        RoleConfig ci = provider.role("ci").orElseThrow();
        assertEquals(new RoleConfig("ci", "CI", List.of("https://token.example.com"), List.of("sts.example.com"),
                List.of("repo:org/*"), 3600,
                List.of(new AccessScope("alpha", List.of("builds/"), Set.of(Action.GET_OBJECT, Action.PUT_OBJECT)))),
                ci);
    }

    @Test
    void credentialsWithDatesAndDefaults() {
        StoredCredential one = provider.credential("AKIDCONFORMANCE00001").orElseThrow();
        assertEquals("conformance-secret-1", one.secretAccessKey());
        assertEquals("alice", one.principalName());
        assertEquals(Instant.parse("2024-01-02T03:04:05Z"), one.createdAt());
        assertEquals(Instant.parse("2029-12-31T23:00:00Z"), one.expiresAt());
        assertFalse(one.enabled());
        assertEquals(List.of(new AccessScope("*", List.of(), Set.of(Action.LIST_BUCKET))), one.allowedScopes());

        StoredCredential two = provider.credential("AKIDCONFORMANCE00002").orElseThrow();
        assertTrue(two.enabled(), "enabled defaults to true");
        assertNull(two.expiresAt());
        assertEquals(List.of(new AccessScope("beta", List.of(), Set.of(Action.GET_OBJECT))), two.allowedScopes());
    }

    @Test
    void changesInTheStoreAreSeen() throws Exception {
        put(Kind.BUCKET, "beta", BETA.replace("\"anonymous_access\": true", "\"anonymous_access\": false"));
        put(Kind.BUCKET, "gamma", BETA.replace("beta", "gamma"));
        delete(Kind.CREDENTIAL, "AKIDCONFORMANCE00002");
        eventually(() -> !provider.bucket("beta").orElseThrow().anonymousAccess()
                && provider.bucket("gamma").isPresent()
                && provider.credential("AKIDCONFORMANCE00002").isEmpty());
        assertEquals(Set.of("alpha", "beta", "gamma"), names(provider.buckets()));
    }

    @Test
    void anInvalidRecordIsRejectedAloneAndTheOthersKeepServing() throws Exception {
        assumeTrue(rejectsInvalidRecordsAlone(), "this provider validates its store as a whole");
        put(Kind.BUCKET, "broken", "{\"name\": \"broken\", \"backend_type\": \"s3\", \"anonymous_access\": \"yes\"}");
        if (storesTextThatIsNotJson()) {
            put(Kind.BUCKET, "notjson", "{\"name\": \"notjson\", ");
        }
        put(Kind.ROLE, "badrole", "{\"role_id\": \"badrole\", \"name\": \"x\", \"trusted_oidc_issuers\": []}");
        put(Kind.CREDENTIAL, "AKIDBROKEN0000000001", "{\"access_key_id\": \"AKIDBROKEN0000000001\"}");
        // stored under one id, claiming another: never served under either
        put(Kind.BUCKET, "impostor", ALPHA);
        eventually(() -> provider.bucket("broken").isEmpty() && provider.bucket("notjson").isEmpty()
                && provider.role("badrole").isEmpty() && provider.credential("AKIDBROKEN0000000001").isEmpty()
                && provider.bucket("impostor").isEmpty());
        assertEquals("alpha", provider.bucket("alpha").orElseThrow().name());
        assertTrue(provider.role("ci").isPresent());
        assertTrue(provider.credential("AKIDCONFORMANCE00002").isPresent());
        Set<String> listed = names(provider.buckets());
        assertTrue(listed.containsAll(Set.of("alpha", "beta")) && !listed.contains("broken")
                && !listed.contains("notjson"), listed::toString);
    }

    @Test
    void aStoreThatIsDownIsServiceUnavailableNeverAbsent() throws Exception {
        assumeTrue(takeStoreDown(), "the fixture cannot take this store down");
        try {
            for (Supplier<?> lookup : List.<Supplier<?>>of(() -> provider.bucket("alpha"), provider::buckets,
                    () -> provider.role("ci"), () -> provider.credential("AKIDCONFORMANCE00002"))) {
                S3Exception e = assertThrows(S3Exception.class, lookup::get);
                assertEquals(S3ErrorCode.ServiceUnavailable, e.code());
            }
        } finally {
            bringStoreBack();
        }
        eventually(() -> provider.bucket("alpha").isPresent());
    }

    private void eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + changeVisibleWithin().plusSeconds(10).toNanos();
        while (true) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (S3Exception e) {
                // a store coming back may still refuse connections
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + changeVisibleWithin().plusSeconds(10));
            }
            Thread.sleep(50);
        }
    }

    private static Set<String> names(List<BucketConfig> buckets) {
        return buckets.stream().map(BucketConfig::name).collect(Collectors.toCollection(TreeSet::new));
    }
}
