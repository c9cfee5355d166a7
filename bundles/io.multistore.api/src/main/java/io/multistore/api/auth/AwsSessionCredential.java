package io.multistore.api.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * Temporary AWS credentials (what STS {@code AssumeRoleWithWebIdentity} returns): S3 requests are signed with the
 * key pair and carry the session token as {@code x-amz-security-token}.
 *
 * @since 1.1
 */
public record AwsSessionCredential(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiresAt)
        implements BackendCredential {

    public AwsSessionCredential {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "AwsSessionCredential[accessKeyId=" + accessKeyId + ", expiresAt=" + expiresAt + "]";
    }
}
