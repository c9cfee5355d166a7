package io.multistore.core.internal.auth;

import io.multistore.api.StoredCredential;
import io.multistore.api.auth.TemporaryCredential;
import java.util.Optional;

/**
 * Where the verifier finds the secret behind an access key.
 */
public interface CredentialLookup {

    /** A long-lived access key from the config provider. */
    Optional<StoredCredential> longLived(String accessKeyId);

    /**
     * The credential a session token stands for, from the temporary credential resolvers.
     *
     * @throws io.multistore.api.S3Exception {@code ExpiredToken} or {@code InvalidToken}
     */
    Optional<TemporaryCredential> temporary(String sessionToken, String accessKeyId);
}
