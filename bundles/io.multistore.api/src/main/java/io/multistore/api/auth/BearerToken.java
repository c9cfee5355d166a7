package io.multistore.api.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth 2.0 access token (Microsoft Entra for Azure Blob Storage, Google for GCS), sent as
 * {@code Authorization: Bearer <token>}.
 *
 * @since 1.1
 */
public record BearerToken(String token, Instant expiresAt) implements BackendCredential {

    public BearerToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "BearerToken[expiresAt=" + expiresAt + "]";
    }
}
