package io.multistore.auth.sts.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The STS settings, shared by the route handler and the session token resolver. The launcher writes the keys into
 * the PID {@value #CLI_PID} as Config Admin interpolation placeholders ({@code $[prop:SESSION_TOKEN_KEY]}), so the
 * secrets themselves are never stored, shown in the console, or logged; the operator PID {@value #PID} is merged
 * over it.
 */
@ObjectClassDefinition(id = StsConfig.PID, pid = StsConfig.PID, name = "Multistore STS",
        description = "AssumeRoleWithWebIdentity: exchanges OIDC tokens for temporary credentials sealed into "
                + "session tokens.")
public @interface StsConfig {

    String PID = "io.multistore.auth.sts";
    /** Written by the launcher from the environment; {@link #PID} is merged over it. */
    String CLI_PID = "io.multistore.auth.sts.cli";

    @AttributeDefinition(name = "Session token key", type = AttributeType.PASSWORD, required = false,
            description = "Base64 of 32 bytes (AES-256-GCM) sealing new session tokens. The launcher sets it "
                    + "from SESSION_TOKEN_KEY; empty: STS requests answer InternalError and session tokens are "
                    + "refused.")
    String session__token__key() default "";

    @AttributeDefinition(name = "Previous session token key", type = AttributeType.PASSWORD, required = false,
            description = "Base64 of 32 bytes: tokens sealed with it still open, new ones use the current key "
                    + "(rotation). The launcher sets it from SESSION_TOKEN_KEY_PREVIOUS.")
    String session__token__key__previous() default "";

    @AttributeDefinition(name = "JWKS cache TTL", description = "Seconds an issuer's signing keys are used "
            + "before they are fetched again.")
    long jwks__cache__ttl__secs() default 900;

    @AttributeDefinition(name = "JWKS minimum refresh interval", description = "Seconds between two fetches of "
            + "one issuer's keys when a token names an unknown kid or a fetch failed, so bogus kids cannot "
            + "hammer the IdP.")
    long jwks__min__refresh__secs() default 30;

    @AttributeDefinition(name = "JWKS fetch timeout", description = "Seconds to wait for an issuer's discovery "
            + "document or key set.")
    long jwks__timeout__secs() default 5;

    @AttributeDefinition(name = "Allow http://127.0.0.1 issuers", description = "For tests only: accept plain "
            + "HTTP issuers and jwks_uri on 127.0.0.1/localhost. Off: HTTPS only.")
    boolean allow__http__loopback__issuers() default false;
}
