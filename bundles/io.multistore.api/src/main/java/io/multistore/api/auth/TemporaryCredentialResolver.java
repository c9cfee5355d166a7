package io.multistore.api.auth;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns the {@code x-amz-security-token} of a request into the temporary credential it stands for (the STS bundle
 * unseals its AES-GCM tokens here).
 */
@ConsumerType
public interface TemporaryCredentialResolver {

    /**
     * @return the credential, or empty if the token is not one this resolver understands
     * @throws io.multistore.api.S3Exception {@code ExpiredToken} or {@code InvalidToken} for a token it owns but
     *                                       rejects
     */
    Optional<TemporaryCredential> resolve(String sessionToken, String accessKeyId);
}
