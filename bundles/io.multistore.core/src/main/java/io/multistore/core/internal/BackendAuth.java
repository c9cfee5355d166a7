package io.multistore.core.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.backend.Backend;
import java.util.Optional;
import java.util.Set;

/**
 * How the gateway reaches a bucket's backend: with the backend's own options (static keys, the default chain), or
 * with an {@code auth_type} whose credentials a {@link io.multistore.api.auth.BackendCredentialSource} supplies.
 * The backend asks the source itself (and answers 503 naming the missing module when there is none); here the
 * gateway only refuses a bucket whose backend does not take such credentials at all — never serving it with
 * whatever credentials the host happens to have.
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

    /** Whether a backend signs with a credential source's credentials: it lists {@code auth_type} among its options. */
    static boolean supports(Backend backend) {
        return backend.optionNames().contains("auth_type");
    }

    /** The 503 of a bucket whose backend cannot use its {@code auth_type}; the message names what is missing. */
    static VisibleServerError unsupported(BucketConfig bucket, String authType) {
        return new VisibleServerError(S3ErrorCode.ServiceUnavailable, "Bucket '" + bucket.name()
                + "' needs auth_type '" + authType + "', which backend_type '" + bucket.backendType()
                + "' does not support");
    }
}
