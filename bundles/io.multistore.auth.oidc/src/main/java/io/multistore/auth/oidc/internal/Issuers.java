package io.multistore.auth.oidc.internal;

import java.net.URI;

/** The issuer URL's rules, shared by both components. */
final class Issuers {

    private Issuers() {
    }

    /**
     * @return the issuer unchanged
     * @throws IllegalArgumentException when it is not an absolute http(s) URL without query or fragment
     */
    static String validate(String issuer) {
        try {
            URI uri = URI.create(issuer.trim());
            String scheme = uri.getScheme();
            if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("OIDC_PROVIDER_ISSUER must be an http(s) URL without query or "
                        + "fragment: " + issuer);
            }
            return issuer.trim();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OIDC_PROVIDER_ISSUER is not a URL: " + issuer, e);
        }
    }
}
