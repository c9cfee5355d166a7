package io.multistore.auth.oidc.internal;

import io.multistore.api.auth.BackendCredential;

/** Trades one minted JWT for a cloud's temporary credential. */
@FunctionalInterface
interface Exchange {

    /**
     * @throws io.multistore.api.S3Exception {@code ServiceUnavailable} (the cloud is unreachable or refused the
     *                                       JWT; the detail says which) or {@code AccessDenied}
     */
    BackendCredential exchange(String jwt);
}
