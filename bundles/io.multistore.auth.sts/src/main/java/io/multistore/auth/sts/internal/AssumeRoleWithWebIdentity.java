package io.multistore.auth.sts.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import io.multistore.api.Identity;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.TemporaryCredential;
import io.multistore.api.config.ConfigProvider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The STS operation: look the role up, verify the token against its trust policy, mint credentials for the
 * clamped duration with the role's scopes resolved from the token's claims, and seal them into the session token.
 */
final class AssumeRoleWithWebIdentity {

    static final long MIN_DURATION_SECONDS = 900;
    static final long DEFAULT_DURATION_SECONDS = 3600;
    /** multistore's prefix of minted access key ids. */
    static final String ACCESS_KEY_PREFIX = "STSPRXY";
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** What the client gets back. */
    record Minted(TemporaryCredential credential, String sessionToken, String issuer, String audience) {
        @Override
        public String toString() {
            return "Minted[" + credential + "]"; // never the secret or the token
        }
    }

    private final ConfigProvider config;
    private final WebIdentityVerifier verifier;
    private final SessionTokens tokens;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** @param tokens {@code null} when no session token key is configured: every call then fails */
    AssumeRoleWithWebIdentity(ConfigProvider config, WebIdentityVerifier verifier, SessionTokens tokens,
            Clock clock) {
        this.config = config;
        this.verifier = verifier;
        this.tokens = tokens;
        this.clock = clock;
    }

    Minted assume(StsRequest request) throws StsException {
        if (tokens == null) {
            throw new StsException(StsException.Code.InternalError,
                    "STS requires SESSION_TOKEN_KEY to be configured");
        }
        RoleConfig role = role(request.roleArn());
        JWTClaimsSet claims = verifier.verify(request.webIdentityToken(), role);
        long max = Math.max(MIN_DURATION_SECONDS, role.maxSessionDurationSecs());
        long duration = Math.min(Math.max(request.durationSeconds().orElse(DEFAULT_DURATION_SECONDS),
                MIN_DURATION_SECONDS), max);
        Instant expires = clock.instant().plusSeconds(duration);
        String subject = claims.getSubject() == null ? "" : claims.getSubject();
        String accessKeyId = ACCESS_KEY_PREFIX + randomId(16);
        Identity.Temporary identity = new Identity.Temporary(accessKeyId, role.roleId(), subject, expires,
                ScopeTemplates.resolve(role.allowedScopes(), claims));
        TemporaryCredential credential = new TemporaryCredential(accessKeyId, randomId(40), identity);
        List<String> audience = claims.getAudience();
        return new Minted(credential, tokens.seal(credential), claims.getIssuer(),
                audience == null || audience.isEmpty() ? null : audience.get(0));
    }

    private RoleConfig role(String roleId) throws StsException {
        Optional<RoleConfig> role;
        try {
            role = config.role(roleId);
        } catch (S3Exception e) {
            throw new StsException(e.status() >= 500 ? StsException.Code.ServiceUnavailable
                    : StsException.Code.InvalidParameterValue, "role lookup failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StsException(StsException.Code.ServiceUnavailable, "role lookup failed", e);
        }
        return role.orElseThrow(() -> new StsException(StsException.Code.MalformedPolicyDocument,
                "role not found: " + roleId));
    }

    private String randomId(int length) {
        char[] id = new char[length];
        for (int i = 0; i < length; i++) {
            id[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
        }
        return new String(id);
    }
}
