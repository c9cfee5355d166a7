package io.multistore.auth.sts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigProvider;
import io.multistore.testsupport.OidcIssuer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AssumeRoleWithWebIdentityTest {

    static final Instant NOW = Instant.now();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    OidcIssuer issuer;
    AssumeRoleWithWebIdentity sts;
    SessionTokens tokens = new SessionTokens(SessionTokensTest.KEY_A, null);

    /** The roles as a config provider holds them. */
    record Roles(Map<String, RoleConfig> byId) implements ConfigProvider {
        public Optional<BucketConfig> bucket(String name) {
            return Optional.empty();
        }

        public List<BucketConfig> buckets() {
            return List.of();
        }

        public Optional<RoleConfig> role(String roleId) {
            return Optional.ofNullable(byId.get(roleId));
        }

        public Optional<StoredCredential> credential(String accessKeyId) {
            return Optional.empty();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        issuer = OidcIssuer.http();
        RoleConfig role = new RoleConfig("ci", "CI", List.of(issuer.url()), List.of(), List.of(), 7200,
                List.of(new AccessScope("{repository_owner}", List.of("{sub}/", "shared/"),
                        EnumSet.of(Action.GET_OBJECT)), new AccessScope("{missing}", List.of(),
                                EnumSet.of(Action.PUT_OBJECT))));
        JwksCache cache = new JwksCache(HttpClient.newHttpClient(), Duration.ofMinutes(15), Duration.ofSeconds(30),
                Duration.ofSeconds(5), true, Clock.systemUTC());
        sts = new AssumeRoleWithWebIdentity(new Roles(Map.of("ci", role)),
                new WebIdentityVerifier(cache, Clock.systemUTC()), tokens, clock);
    }

    @AfterEach
    void tearDown() {
        issuer.close();
    }

    StsRequest request(String role, OptionalLong duration) {
        String jwt = issuer.sign(issuer.claims("alice", "any").claim("repository_owner", "acme").build());
        return new StsRequest(role, jwt, "session", duration);
    }

    @Test
    void mintsSealedCredentialsWithTemplatedScopes() throws Exception {
        AssumeRoleWithWebIdentity.Minted minted = sts.assume(request("ci", OptionalLong.empty()));
        var identity = minted.credential().identity();
        assertTrue(minted.credential().accessKeyId().matches("STSPRXY[A-Za-z0-9]{16}"));
        assertEquals(40, minted.credential().secretAccessKey().length());
        assertEquals(NOW.plusSeconds(3600), identity.expiresAt());
        assertEquals("alice", identity.subject());
        assertEquals("ci", identity.roleId());
        assertEquals(new AccessScope("acme", List.of("alice/", "shared/"), EnumSet.of(Action.GET_OBJECT)),
                identity.scopes().get(0));
        assertEquals("", identity.scopes().get(1).bucket(), "a missing claim fails closed");
        assertEquals(minted.credential().identity(), tokens.unseal(minted.sessionToken()).orElseThrow().identity());
        assertEquals(issuer.url(), minted.issuer());
    }

    @Test
    void durationIsClampedToTheRolesRange() throws Exception {
        assertEquals(NOW.plusSeconds(900), sts.assume(request("ci", OptionalLong.of(60))).credential().identity()
                .expiresAt());
        assertEquals(NOW.plusSeconds(7200), sts.assume(request("ci", OptionalLong.of(86400))).credential()
                .identity().expiresAt());
        assertEquals(NOW.plusSeconds(1800), sts.assume(request("ci", OptionalLong.of(1800))).credential()
                .identity().expiresAt());
    }

    @Test
    void unknownRoleAndMissingKeyAreRefused() {
        StsException e = assertThrows(StsException.class, () -> sts.assume(request("nope", OptionalLong.empty())));
        assertEquals(StsException.Code.MalformedPolicyDocument, e.code());
        assertEquals("role not found: nope", e.getMessage());
        AssumeRoleWithWebIdentity keyless = new AssumeRoleWithWebIdentity(new Roles(Map.of()), null, null, clock);
        e = assertThrows(StsException.class, () -> keyless.assume(request("ci", OptionalLong.empty())));
        assertEquals(StsException.Code.InternalError, e.code());
        assertEquals("internal error", e.clientMessage());
    }

    @Test
    void scopeTemplatesResolveOnceAndFailClosed() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("{org}").claim("org", "acme").claim("n", 7)
                .claim("star", "*").build();
        assertEquals("users/{org}/", ScopeTemplates.resolve("users/{sub}/", claims), "no second pass");
        assertEquals("acme-data", ScopeTemplates.resolve("{org}-data", claims));
        assertEquals("x//", ScopeTemplates.resolve("x/{n}/", claims), "non-string claims are empty");
        assertEquals("open{brace", ScopeTemplates.resolve("open{brace", claims));
        List<AccessScope> resolved = ScopeTemplates.resolve(List.of(new AccessScope("{star}", List.of(),
                EnumSet.of(Action.GET_OBJECT)), new AccessScope("*", List.of(), EnumSet.of(Action.GET_OBJECT))),
                claims);
        assertEquals("", resolved.get(0).bucket(), "a claim cannot widen a scope to every bucket");
        assertEquals("*", resolved.get(1).bucket(), "a literal * in the config stays");
    }

    @Test
    void requestParsing() throws Exception {
        assertTrue(StsRequest.parse("prefix=foo/").isEmpty());
        assertTrue(StsRequest.parse("Action=ListBuckets").isEmpty());
        assertTrue(StsRequest.parse(null).isEmpty());
        StsRequest r = StsRequest.parse("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=my-role"
                + "&WebIdentityToken=a.b%2Bc&DurationSeconds=7200&RoleSessionName=s").orElseThrow();
        assertEquals("my-role", r.roleArn());
        assertEquals("a.b+c", r.webIdentityToken());
        assertEquals(OptionalLong.of(7200), r.durationSeconds());
        assertEquals(OptionalLong.empty(), StsRequest.parse(
                "Action=AssumeRoleWithWebIdentity&RoleArn=r&WebIdentityToken=t&DurationSeconds=x").orElseThrow()
                .durationSeconds());
        assertEquals("missing RoleArn", assertThrows(StsException.class,
                () -> StsRequest.parse("Action=AssumeRoleWithWebIdentity&WebIdentityToken=t")).getMessage());
        assertEquals("missing WebIdentityToken", assertThrows(StsException.class,
                () -> StsRequest.parse("Action=AssumeRoleWithWebIdentity&RoleArn=r")).getMessage());
        assertTrue(!r.toString().contains("a.b+c"), "the JWT is never printed");
    }
}
