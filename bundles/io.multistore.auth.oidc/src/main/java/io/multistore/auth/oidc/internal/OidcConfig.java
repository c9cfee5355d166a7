package io.multistore.auth.oidc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The OIDC provider's settings, shared by the discovery endpoints and the backend credential source. The launcher
 * writes the key and the issuer into the PID {@value #CLI_PID} as Config Admin interpolation placeholders
 * ({@code $[prop:OIDC_PROVIDER_KEY]}), so the key itself is never stored, shown in the console, or logged; the
 * operator PID {@value #PID} is merged over it.
 */
@ObjectClassDefinition(id = OidcConfig.PID, pid = OidcConfig.PID, name = "Multistore OIDC provider",
        description = "The gateway as its own OpenID Connect provider: serves its discovery document and signing "
                + "keys, and exchanges the JWTs it mints with AWS STS, Microsoft Entra or Google STS for the "
                + "temporary credentials of buckets with auth_type = \"oidc\".")
public @interface OidcConfig {

    String PID = "io.multistore.auth.oidc";
    /** Written by the launcher from the environment; {@link #PID} is merged over it. */
    String CLI_PID = "io.multistore.auth.oidc.cli";

    @AttributeDefinition(name = "Provider key", type = AttributeType.PASSWORD, required = false,
            description = "PEM RSA private key (PKCS#8 or PKCS#1) that signs the minted JWTs. The launcher sets it "
                    + "from OIDC_PROVIDER_KEY. Empty: no discovery endpoints, and auth_type = \"oidc\" buckets "
                    + "answer 503. Malformed: the component does not start and logs why.")
    String provider__key() default "";

    @AttributeDefinition(name = "Previous provider keys", type = AttributeType.PASSWORD, required = false,
            description = "PEM RSA private keys from before a rotation (several may be concatenated): published in "
                    + "the JWKS so tokens they signed still verify, never used to sign. The launcher sets it from "
                    + "OIDC_PROVIDER_KEY_PREVIOUS.")
    String provider__key__previous() default "";

    @AttributeDefinition(name = "Issuer", required = false, description = "The gateway's public URL, the iss "
            + "claim of every minted JWT; clouds fetch <issuer>/.well-known/openid-configuration from it. The "
            + "launcher sets it from OIDC_PROVIDER_ISSUER.")
    String issuer() default "";

    @AttributeDefinition(name = "Default subject", description = "The sub claim for buckets without "
            + "oidc_subject (multistore's default).")
    String default__subject() default "s3-proxy";

    @AttributeDefinition(name = "JWT lifetime", description = "Seconds a minted JWT is valid (exp - iat); it is "
            + "used once, for one exchange.")
    long jwt__lifetime__secs() default 300;

    @AttributeDefinition(name = "Refresh lead", description = "Seconds before a temporary credential expires at "
            + "which the next request renews it (others keep using it meanwhile).")
    long refresh__lead__secs() default 60;

    @AttributeDefinition(name = "Exchange timeout", description = "Seconds to wait for a cloud's STS or token "
            + "endpoint.")
    long exchange__timeout__secs() default 10;

    @AttributeDefinition(name = "Discovery cache lifetime", description = "Seconds clouds and proxies may cache "
            + "the discovery document and the JWKS (Cache-Control max-age).")
    long discovery__max__age__secs() default 300;
}
