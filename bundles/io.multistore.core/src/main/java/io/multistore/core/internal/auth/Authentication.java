package io.multistore.core.internal.auth;

import io.multistore.api.Identity;
import java.util.Objects;

/**
 * The outcome of authenticating a request.
 *
 * @param identity who the caller is
 * @param signing  what chunk signatures of the body are verified with; {@code null} for anonymous requests
 */
public record Authentication(Identity identity, SigningContext signing) {

    public static final Authentication ANONYMOUS = new Authentication(Identity.ANONYMOUS, null);

    public Authentication {
        Objects.requireNonNull(identity, "identity");
    }

    public boolean isAnonymous() {
        return identity instanceof Identity.Anonymous;
    }
}
