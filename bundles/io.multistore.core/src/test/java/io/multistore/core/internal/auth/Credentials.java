package io.multistore.core.internal.auth;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.auth.TemporaryCredential;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A credential table for tests, with the semantics the gateway's lookup has. */
final class Credentials implements CredentialLookup {

    static final List<AccessScope> ALL = List.of(new AccessScope("*", List.of(), Set.of(Action.values())));

    private final Map<String, StoredCredential> longLived = new HashMap<>();
    private final Map<String, TemporaryCredential> sessions = new HashMap<>();
    private final Instant now;

    Credentials(Instant now) {
        this.now = now;
    }

    Credentials add(StoredCredential credential) {
        longLived.put(credential.accessKeyId(), credential);
        return this;
    }

    Credentials standard() {
        return add(new StoredCredential(SdkSigning.ACCESS_KEY, SdkSigning.SECRET, "alice", now.minusSeconds(3600),
                null, true, ALL));
    }

    Credentials session(String token, String accessKey, String secret, Instant expires) {
        sessions.put(token, new TemporaryCredential(accessKey, secret,
                new Identity.Temporary(accessKey, "reader", "sub-1", expires, ALL)));
        return this;
    }

    @Override
    public Optional<StoredCredential> longLived(String accessKeyId) {
        return Optional.ofNullable(longLived.get(accessKeyId));
    }

    @Override
    public Optional<TemporaryCredential> temporary(String sessionToken, String accessKeyId) {
        TemporaryCredential credential = sessions.get(sessionToken);
        if (credential != null && !now.isBefore(credential.identity().expiresAt())) {
            throw new S3Exception(S3ErrorCode.ExpiredToken);
        }
        return Optional.ofNullable(credential);
    }
}
