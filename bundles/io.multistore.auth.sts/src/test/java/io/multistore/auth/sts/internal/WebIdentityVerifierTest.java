package io.multistore.auth.sts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.multistore.api.RoleConfig;
import io.multistore.testsupport.OidcIssuer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWT checks against a real issuer (plain HTTP on loopback, explicitly allowed here). */
class WebIdentityVerifierTest {

    /** The cache's clock, moved by the tests. */
    static final class MovingClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final MovingClock cacheClock = new MovingClock();
    OidcIssuer issuer;
    RoleConfig role;
    JwksCache cache;
    WebIdentityVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        issuer = OidcIssuer.http();
        role = new RoleConfig("ci", "CI", List.of(issuer.url()), List.of("sts.example"), List.of("repo:org/*"),
                3600, List.of());
        cache = new JwksCache(HttpClient.newHttpClient(), Duration.ofMinutes(15), Duration.ofSeconds(30),
                Duration.ofSeconds(5), true, cacheClock);
        verifier = new WebIdentityVerifier(cache, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        issuer.close();
    }

    String token(Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> edit) {
        return issuer.sign(edit.apply(issuer.claims("repo:org/app", "sts.example")).build());
    }

    String refusal(String token) {
        return assertThrows(StsException.class, () -> verifier.verify(token, role)).getMessage();
    }

    @Test
    void aValidTokenVerifiesAndItsKeysAreCached() throws Exception {
        assertEquals("repo:org/app", verifier.verify(token(b -> b), role).getSubject());
        assertEquals("repo:org/app", verifier.verify(token(b -> b), role).getSubject());
        assertEquals(1, issuer.jwksFetches());
        // aud as a list, one of them required
        assertEquals("repo:org/app",
                verifier.verify(token(b -> b.audience(List.of("other", "sts.example"))), role).getSubject());
    }

    @Test
    void theNegativeTable() {
        Instant now = Instant.now();
        assertEquals("token has expired",
                refusal(token(b -> b.expirationTime(Date.from(now.minusSeconds(61 + 60))))));
        assertEquals("token is not yet valid",
                refusal(token(b -> b.notBeforeTime(Date.from(now.plusSeconds(120))))));
        assertEquals("token is issued in the future",
                refusal(token(b -> b.issueTime(Date.from(now.plusSeconds(120))))));
        assertEquals("token has no exp claim", refusal(token(b -> b.expirationTime(null))));
        assertTrue(refusal(token(b -> b.audience("someone-else"))).startsWith("audience mismatch"));
        assertTrue(refusal(token(b -> b.audience((String) null))).startsWith("audience mismatch"));
        assertEquals("untrusted issuer: https://evil.example",
                refusal(token(b -> b.issuer("https://evil.example"))));
        assertEquals("missing iss claim", refusal(token(b -> b.issuer(null))));
        assertEquals("subject 'repo:other/app' does not match any conditions",
                refusal(token(b -> b.subject("repo:other/app"))));
        assertEquals("malformed JWT", refusal("not.a.jwt"));
    }

    @Test
    void signaturesAndKeysAreChecked() throws Exception {
        JWTClaimsSet claims = issuer.claims("repo:org/app", "sts.example").build();
        RSAKey stranger = new RSAKeyGenerator(2048).generate();
        // bad signature: someone else's key under the issuer's kid
        assertEquals("JWT signature verification failed",
                refusal(OidcIssuer.sign(claims, stranger, issuer.currentKid())));
        // a valid token with one byte of the signature changed
        String good = issuer.sign(claims);
        char last = good.charAt(good.length() - 2);
        assertEquals("JWT signature verification failed",
                refusal(good.substring(0, good.length() - 2) + (last == 'A' ? 'B' : 'A') + good.charAt(good.length() - 1)));
        // unknown kid
        assertEquals("key 'nope' not found in JWKS", refusal(OidcIssuer.sign(claims, stranger, "nope")));
        // no kid
        SignedJWT noKid = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        noKid.sign(new com.nimbusds.jose.crypto.RSASSASigner(issuer.signingKey()));
        assertEquals("JWT missing kid", refusal(noKid.serialize()));
        // alg=none: an unsecured JWT is not accepted as signed
        assertEquals("malformed JWT", refusal(new PlainJWT(new PlainHeader(), claims).serialize()));
        // key confusion: HS256 "signed" with the issuer's public key as the HMAC secret
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.currentKid()).build(),
                claims);
        hmac.sign(new MACSigner(issuer.signingKey().toRSAPublicKey().getEncoded()));
        assertEquals("unsupported JWT algorithm: HS256", refusal(hmac.serialize()));
        // RS256 header, key published for RS256, but an EC algorithm claimed: refused before any key is used
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(issuer.currentKid()).build(),
                claims);
        es.sign(new com.nimbusds.jose.crypto.ECDSASigner(new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                com.nimbusds.jose.jwk.Curve.P_256).generate()));
        assertTrue(refusal(es.serialize()).contains("is for RS256, not ES256"));
    }

    @Test
    void rotationRefreshesOnAnUnknownKidAtMostOncePerInterval() throws Exception {
        verifier.verify(token(b -> b), role);
        assertEquals(1, issuer.jwksFetches());
        String oldKid = issuer.currentKid();
        RSAKey oldKey = issuer.signingKey();
        issuer.rotate();
        // within the minimum interval after the last fetch, an unknown kid is refused without a request
        assertEquals("key '" + issuer.currentKid() + "' not found in JWKS", refusal(token(b -> b)));
        assertEquals(1, issuer.jwksFetches());
        // after it, the unknown kid makes one refresh, then it verifies
        cacheClock.now = cacheClock.now.plusSeconds(31);
        assertEquals("repo:org/app", verifier.verify(token(b -> b), role).getSubject());
        assertEquals(2, issuer.jwksFetches());
        // a flood of bogus kids within the interval makes no further request
        JWTClaimsSet claims = issuer.claims("repo:org/app", "sts.example").build();
        for (int i = 0; i < 20; i++) {
            refusal(OidcIssuer.sign(claims, issuer.signingKey(), "bogus-" + i));
        }
        assertEquals(2, issuer.jwksFetches());
        // a TTL expiry refetches: a retired key is then refused
        issuer.retire(oldKid);
        cacheClock.now = cacheClock.now.plus(Duration.ofMinutes(16));
        assertEquals("repo:org/app", verifier.verify(token(b -> b), role).getSubject());
        assertEquals(3, issuer.jwksFetches());
        assertEquals("key '" + oldKid + "' not found in JWKS", refusal(OidcIssuer.sign(claims, oldKey, oldKid)));
    }

    @Test
    void plainHttpIssuersAreRefusedUnlessExplicitlyAllowed() {
        JwksCache httpsOnly = new JwksCache(HttpClient.newHttpClient(), Duration.ofMinutes(15),
                Duration.ofSeconds(30), Duration.ofSeconds(5), false, Clock.systemUTC());
        StsException e = assertThrows(StsException.class,
                () -> new WebIdentityVerifier(httpsOnly, Clock.systemUTC()).verify(token(b -> b), role));
        assertEquals(StsException.Code.InvalidIdentityToken, e.code());
        assertTrue(e.getMessage().contains("must use HTTPS"), e.getMessage());
        assertEquals(0, issuer.jwksFetches());
    }

    @Test
    void audienceAndSubjectRules() {
        assertTrue(WebIdentityVerifier.audienceAllowed(null, List.of()));
        assertTrue(WebIdentityVerifier.audienceAllowed(List.of("a"), List.of("b", "a")));
        assertFalse(WebIdentityVerifier.audienceAllowed(List.of("c"), List.of("b", "a")));
        assertFalse(WebIdentityVerifier.audienceAllowed(null, List.of("a")));
        String[][] matching = {{"repo:org/repo:ref:refs/heads/main", "repo:org/repo:*"}, {"x", "*"}, {"", "*"},
            {"", ""}, {"abc", "abc"}, {"xfoo", "*foo"}, {"foobar", "foo*bar"}, {"fooXYZbar", "foo*bar"},
            {"axbb", "a*b*b"}, {"abcc", "a*bc*c"}, {"aab", "*a*ab"}, {"xababab", "*ab*ab"}, {"", "**"},
            {"repo:org/repo:ref:refs/heads/main", "repo:org/*:ref:refs/heads/*"}};
        for (String[] m : matching) {
            assertTrue(WebIdentityVerifier.subjectMatches(m[0], m[1]), m[0] + " ~ " + m[1]);
        }
        String[][] notMatching = {{"abc", "abcd"}, {"abcd", "abc"}, {"", "abc"}, {"foox", "*foo"}, {"xfoo", "foo*"},
            {"fooXbaz", "foo*bar"}, {"axb", "a*b*b"}, {"abc", "a*bc*c"}, {"xab", "*a*ab"}, {"xab", "*ab*ab"},
            {"repo:org/repo:ref:refs/heads/main", "repo:other/*"}};
        for (String[] m : notMatching) {
            assertFalse(WebIdentityVerifier.subjectMatches(m[0], m[1]), m[0] + " !~ " + m[1]);
        }
    }
}
