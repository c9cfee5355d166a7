package io.multistore.core.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import java.util.Optional;
import java.util.Set;

/**
 * How the gateway reaches a bucket's backend: with the backend's own options (static keys, the default chain), or
 * with an {@code auth_type} that a backend-auth module must provide. No such module is installed yet, so a bucket
 * asking for one is refused — never served with whatever credentials the host happens to have.
 */
final class BackendAuth {

    /** {@code backend_options} the gateway reads for backend authentication, whatever the backend type. */
    static final Set<String> OPTIONS = Set.of("auth_type", "oidc_role_arn", "oidc_subject", "sts_endpoint");

    private BackendAuth() {
    }

    /** The {@code auth_type} a bucket asks for, if it asks for one. */
    static Optional<String> authType(BucketConfig bucket) {
        return bucket.option("auth_type");
    }

    /** The 503 a bucket gets while its {@code auth_type} is not provided; the message names what is missing. */
    static VisibleServerError unavailable(BucketConfig bucket, String authType) {
        String module = "oidc".equals(authType) ? "the OIDC backend-auth module (OIDC_PROVIDER_KEY and "
                + "OIDC_PROVIDER_ISSUER)" : "a backend-auth module";
        return new VisibleServerError(S3ErrorCode.ServiceUnavailable, "Bucket '" + bucket.name()
                + "' needs auth_type '" + authType + "', which needs " + module + "; none is installed");
    }
}
