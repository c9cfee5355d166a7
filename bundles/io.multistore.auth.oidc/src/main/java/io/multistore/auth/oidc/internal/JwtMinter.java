package io.multistore.auth.oidc.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Mints the provider's JWTs: RS256 with the current key's {@code kid}, and the claims multistore writes —
 * {@code iss}, {@code sub}, {@code aud}, {@code exp}, {@code iat}, {@code nbf}, {@code jti}. Thread-safe.
 */
final class JwtMinter {

    private final ProviderKeys keys;
    private final RSASSASigner signer;
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;

    JwtMinter(ProviderKeys keys, String issuer, Duration lifetime, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.clock = clock;
        try {
            this.signer = new RSASSASigner(keys.signing());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("OIDC_PROVIDER_KEY cannot sign RS256", e);
        }
    }

    String issuer() {
        return issuer;
    }

    /** A signed, compact JWT for one exchange. */
    String mint(String subject, String audience) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(keys.signing().getKeyID()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing the OIDC JWT failed", e);
        }
        return jwt.serialize();
    }
}
