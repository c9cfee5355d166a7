package io.multistore.api;

import java.time.Instant;
import java.util.List;

/**
 * A long-lived access key.
 *
 * @param expiresAt {@code null} for never
 */
public record StoredCredential(String accessKeyId, String secretAccessKey, String principalName, Instant createdAt,
        Instant expiresAt, boolean enabled, List<AccessScope> allowedScopes) {

    public StoredCredential {
        allowedScopes = allowedScopes == null ? List.of() : List.copyOf(allowedScopes);
    }

    /** Whether this credential may sign requests at {@code now}. */
    public boolean usableAt(Instant now) {
        return enabled && (expiresAt == null || now.isBefore(expiresAt));
    }

    @Override
    public String toString() {
        // never print the secret
        return "StoredCredential[accessKeyId=" + accessKeyId + ", principalName=" + principalName + ", enabled="
                + enabled + ", expiresAt=" + expiresAt + "]";
    }
}
