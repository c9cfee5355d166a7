package io.multistore.api.auth;

import io.multistore.api.BucketConfig;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies the credentials a backend signs with for buckets whose {@code backend_options} name an
 * {@code auth_type} (the OIDC bundle serves {@code auth_type = "oidc"}: it mints its own JWT and exchanges it with
 * the cloud's STS). Backends look sources up by {@link #AUTH_TYPE} and ask for a credential before every backend
 * request; the source caches, refreshes before expiry and single-flights its exchanges, so that call is cheap.
 * A backend never falls back to other credentials when the source fails or is absent.
 *
 * @since 1.1
 */
@ConsumerType
public interface BackendCredentialSource {

    /** Service property: the {@code auth_type} this source serves, e.g. {@code oidc}. */
    String AUTH_TYPE = "multistore.auth.type";

    /**
     * The credential for one bucket, of the kind its {@code backend_type} signs with: {@link AwsSessionCredential}
     * for {@code s3}, {@link BearerToken} for {@code az}/{@code azure} and {@code gcs}/{@code gs}.
     *
     * @return a credential valid for at least a few more seconds
     * @throws io.multistore.api.S3Exception {@code ServiceUnavailable} when none can be obtained (the detail names
     *                                       the bucket and what failed; it goes to the log), {@code AccessDenied}
     *                                       when the cloud refused the gateway's identity for this bucket
     */
    BackendCredential credential(BucketConfig bucket);
}
