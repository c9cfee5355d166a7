package io.multistore.auth.sts.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.multistore.api.RoleConfig;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks a web identity token against a role's trust policy, in multistore's order: issuer trusted, algorithm,
 * key from the issuer's JWKS by {@code kid}, signature, then {@code iss}, {@code aud}, {@code exp}/{@code nbf}/
 * {@code iat} (60 s skew) and {@code sub} against the subject conditions. Every failure is InvalidIdentityToken.
 * <p>
 * Only asymmetric signatures are accepted (RS256/384/512, PS256/384/512, ES256/384/512): {@code alg=none} is not a
 * signed JWT, HMAC algorithms are refused before any key is looked at, and the key must be of the algorithm's type
 * (an RSA JWK for RS/PS, an EC JWK of the right curve for ES), so a public key can never be used as an HMAC secret.
 */
final class WebIdentityVerifier {

    static final long CLOCK_SKEW_SECONDS = 60;
    private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final JwksCache keys;
    private final Clock clock;

    WebIdentityVerifier(JwksCache keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** @return the verified claims */
    JWTClaimsSet verify(String token, RoleConfig role) throws StsException {
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            // the header is parsed by the library: alg=none (an unsecured JWT) is not a JWS and fails here
            jwt = SignedJWT.parse(token.trim());
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw StsException.token("malformed JWT");
        }
        String issuer = unverified.getIssuer();
        if (issuer == null) {
            throw StsException.token("missing iss claim");
        }
        if (!role.trustedOidcIssuers().contains(issuer)) {
            throw StsException.token("untrusted issuer: " + issuer);
        }
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!ACCEPTED.contains(alg)) {
            throw StsException.token("unsupported JWT algorithm: " + alg);
        }
        String kid = header.getKeyID();
        if (kid == null) {
            throw StsException.token("JWT missing kid");
        }
        JWK key = keys.key(issuer, kid);
        try {
            if (!jwt.verify(verifier(alg, key))) {
                throw StsException.token("JWT signature verification failed");
            }
        } catch (JOSEException e) {
            throw StsException.token("JWT signature verification failed: " + e.getMessage());
        }
        JWTClaimsSet claims = unverified; // the signed payload, now verified
        checkClaims(claims, issuer, role);
        return claims;
    }

    private static JWSVerifier verifier(JWSAlgorithm alg, JWK key) throws StsException, JOSEException {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw StsException.token("key '" + key.getKeyID() + "' is not a signing key");
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
            throw StsException.token("key '" + key.getKeyID() + "' is for " + key.getAlgorithm() + ", not " + alg);
        }
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            if (!(key instanceof RSAKey rsa)) {
                throw StsException.token("key '" + key.getKeyID() + "' is not an RSA key");
            }
            return new RSASSAVerifier(rsa.toRSAPublicKey());
        }
        if (!(key instanceof ECKey ec)) {
            throw StsException.token("key '" + key.getKeyID() + "' is not an EC key");
        }
        if (!com.nimbusds.jose.jwk.Curve.forJWSAlgorithm(alg).contains(ec.getCurve())) {
            throw StsException.token("key '" + key.getKeyID() + "' is on the wrong curve for " + alg);
        }
        return new ECDSAVerifier(ec.toECPublicKey());
    }

    private void checkClaims(JWTClaimsSet claims, String issuer, RoleConfig role) throws StsException {
        if (!issuer.equals(claims.getIssuer())) {
            throw StsException.token("issuer mismatch");
        }
        if (!audienceAllowed(claims.getAudience(), role.requiredAudiences())) {
            throw StsException.token("audience mismatch: expected one of " + role.requiredAudiences());
        }
        long now = clock.instant().getEpochSecond();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw StsException.token("token has no exp claim");
        }
        if (now > seconds(exp) + CLOCK_SKEW_SECONDS) {
            throw StsException.token("token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now < seconds(nbf) - CLOCK_SKEW_SECONDS) {
            throw StsException.token("token is not yet valid");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now < seconds(iat) - CLOCK_SKEW_SECONDS) {
            throw StsException.token("token is issued in the future");
        }
        String subject = claims.getSubject() == null ? "" : claims.getSubject();
        if (!role.subjectConditions().isEmpty()
                && role.subjectConditions().stream().noneMatch(p -> subjectMatches(subject, p))) {
            throw StsException.token("subject '" + subject + "' does not match any conditions");
        }
    }

    private static long seconds(Date date) {
        return Instant.ofEpochMilli(date.getTime()).getEpochSecond();
    }

    /** No required audience: any; otherwise the token's {@code aud} (string or list) must name one of them. */
    static boolean audienceAllowed(List<String> audience, List<String> required) {
        if (required.isEmpty()) {
            return true;
        }
        return audience != null && audience.stream().anyMatch(required::contains);
    }

    /** A glob where {@code *} matches any run of characters (also none); everything else matches itself. */
    static boolean subjectMatches(String subject, String pattern) {
        int s = 0;
        int p = 0;
        int star = -1;
        int resume = 0;
        while (s < subject.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = s;
            } else if (p < pattern.length() && pattern.charAt(p) == subject.charAt(s)) {
                p++;
                s++;
            } else if (star >= 0) {
                p = star + 1;
                s = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
