package io.multistore.core.internal.auth;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the signature version a request was signed with and verifies it: V2 ({@link SigV2Verifier}) when the
 * Authorization header says {@code AWS } or the query carries {@code AWSAccessKeyId}, else V4
 * ({@link SigV4Verifier}), which also answers anonymous requests and unknown schemes.
 */
public final class RequestAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(RequestAuthenticator.class);

    private final SigV4Verifier v4;
    private final SigV2Verifier v2;
    private final boolean v2Enabled;

    /** @param v2Enabled whether V2 signatures are accepted; when not, they are refused with InvalidRequest */
    public RequestAuthenticator(Clock clock, boolean v2Enabled) {
        this.v4 = new SigV4Verifier(clock);
        this.v2 = new SigV2Verifier(clock);
        this.v2Enabled = v2Enabled;
    }

    /**
     * @param virtualHostBucket the bucket named by the Host header, or {@code null} for a path-style request
     * @throws S3Exception with the code S3 answers for the failure
     */
    public Authentication authenticate(SignedRequest request, CredentialLookup credentials,
            String virtualHostBucket, String requestId) {
        if (!SigV2Verifier.isV2(request)) {
            return v4.authenticate(request, credentials, requestId);
        }
        if (!v2Enabled) {
            LOG.info("Request {} not authenticated: a V2 signature, and sigv2_enabled is false", requestId);
            throw new S3Exception(S3ErrorCode.InvalidRequest, "The authorization mechanism you have provided is not "
                    + "supported. Please use " + SigV4Verifier.ALGORITHM + ".");
        }
        return v2.authenticate(request, credentials, virtualHostBucket, requestId);
    }

    /** The V4 verifier, for what verifies V4 signatures outside a request's headers. */
    public SigV4Verifier v4() {
        return v4;
    }
}
