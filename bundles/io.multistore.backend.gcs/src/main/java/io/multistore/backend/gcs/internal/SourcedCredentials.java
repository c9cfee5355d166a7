package io.multistore.backend.gcs.internal;

import com.google.auth.Credentials;
import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.BackendCredential;
import io.multistore.api.auth.BearerToken;
import io.multistore.lib.dataplane.CredentialSources;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The bearer token of a bucket with an {@code auth_type} (OIDC federation: Google STS, then service-account
 * impersonation), asked of its {@link CredentialSources source} for every request of either plane; the source
 * caches and refreshes it. Failures are the source's {@link S3Exception}s.
 */
final class SourcedCredentials extends Credentials {
    private static final long serialVersionUID = 1L;

    private final transient CredentialSources sources;
    private final BucketConfig bucket;

    SourcedCredentials(CredentialSources sources, BucketConfig bucket) {
        this.sources = sources;
        this.bucket = bucket;
    }

    @Override
    public String getAuthenticationType() {
        return "OAuth2";
    }

    @Override
    public Map<String, List<String>> getRequestMetadata(URI uri) {
        BackendCredential credential = sources.credential(bucket);
        if (credential instanceof BearerToken token) {
            return Map.of("Authorization", List.of("Bearer " + token.token()));
        }
        throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null, "bucket " + bucket.name()
                + ": its auth_type source supplied " + credential.getClass().getSimpleName() + ", not a bearer token");
    }

    @Override
    public boolean hasRequestMetadata() {
        return true;
    }

    @Override
    public boolean hasRequestMetadataOnly() {
        return true;
    }

    @Override
    public void refresh() {
        // the source refreshes
    }

    @Override
    public String toString() {
        return "SourcedCredentials[bucket=" + bucket.name() + "]";
    }
}
