package io.multistore.auth.sts.internal;

import io.multistore.api.auth.TemporaryCredential;
import io.multistore.api.auth.TemporaryCredentialResolver;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the session tokens this bundle sealed (current key, then the previous one). The gateway then checks expiry
 * (ExpiredToken), matches the access key id in constant time, verifies the signature with the sealed secret and
 * authorizes against the sealed scopes; a token no key opens is answered AccessDenied by the gateway.
 */
@Component(service = TemporaryCredentialResolver.class, configurationPid = {StsConfig.CLI_PID, StsConfig.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class SessionTokenResolver implements TemporaryCredentialResolver {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTokenResolver.class);

    /** {@code null} without a configured key: no token opens. */
    private final SessionTokens tokens;

    @Activate
    public SessionTokenResolver(StsConfig config) {
        this.tokens = config.session__token__key().isBlank() ? null
                : new SessionTokens(config.session__token__key(), config.session__token__key__previous());
    }

    @Override
    public Optional<TemporaryCredential> resolve(String sessionToken, String accessKeyId) {
        if (tokens == null) {
            LOG.debug("Session token of access key {} refused: no session token key is configured", accessKeyId);
            return Optional.empty();
        }
        Optional<TemporaryCredential> credential = tokens.unseal(sessionToken);
        if (credential.isEmpty()) {
            // the token itself is never logged
            LOG.debug("Session token of access key {} does not open with the current or previous key "
                    + "(tampered, or sealed with a removed key)", accessKeyId);
        }
        return credential;
    }
}
