package io.multistore.api.auth;

import java.time.Instant;

/**
 * A temporary credential for a backend, as a {@link BackendCredentialSource} supplies it. {@code toString()} never
 * shows a secret.
 *
 * @since 1.1
 */
public sealed interface BackendCredential permits AwsSessionCredential, BearerToken {

    /** When the credential stops working. */
    Instant expiresAt();
}
