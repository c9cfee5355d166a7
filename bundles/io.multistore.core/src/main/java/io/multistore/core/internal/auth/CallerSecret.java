package io.multistore.core.internal.auth;

import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.auth.TemporaryCredential;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * The secret a signature must have been made with, and who the caller is: a long-lived key from the config
 * provider, or the credential a session token stands for. Shared by both signature versions, so V2 and V4 accept
 * and refuse the same keys and tokens with the same codes.
 */
record CallerSecret(String secret, Identity identity) {

    /**
     * @param securityToken the session token sent with the request, or {@code null}
     * @throws S3Exception InvalidToken, ExpiredToken, AccessDenied or InvalidAccessKeyId, with the reason as detail
     */
    static CallerSecret resolve(CredentialLookup credentials, String accessKeyId, String securityToken,
            Instant now) {
        if (securityToken != null) {
            TemporaryCredential temporary = credentials.temporary(securityToken, accessKeyId)
                    .orElseThrow(() -> refusal(S3ErrorCode.InvalidToken, "no resolver accepts the session token"));
            Instant expires = temporary.identity().expiresAt();
            if (expires != null && !now.isBefore(expires)) {
                throw refusal(S3ErrorCode.ExpiredToken, "the session token expired at " + expires);
            }
            // constant time, as the Rust original: the token must not be usable to probe access key ids
            if (!MessageDigest.isEqual(accessKeyId.getBytes(StandardCharsets.UTF_8),
                    temporary.accessKeyId().getBytes(StandardCharsets.UTF_8))) {
                throw refusal(S3ErrorCode.AccessDenied, "the access key id does not match the session token");
            }
            return new CallerSecret(temporary.secretAccessKey(), temporary.identity());
        }
        StoredCredential stored = credentials.longLived(accessKeyId)
                .orElseThrow(() -> refusal(S3ErrorCode.InvalidAccessKeyId, "no such access key"));
        if (!stored.usableAt(now)) {
            // S3 answers a deactivated key as an unknown one; only the log says which it was
            throw refusal(S3ErrorCode.InvalidAccessKeyId, stored.enabled() ? "the access key has expired"
                    : "the access key is disabled");
        }
        return new CallerSecret(stored.secretAccessKey(),
                new Identity.LongLived(stored.accessKeyId(), stored.principalName(), stored.allowedScopes()));
    }

    /** S3's own message for the client; the reason, which says more, for the log only. */
    static S3Exception refusal(S3ErrorCode code, String reason) {
        return S3Exception.withDetail(code, code.defaultMessage(), reason);
    }

    @Override
    public String toString() {
        return "CallerSecret[secret=<redacted>, identity=" + identity + "]";
    }
}
