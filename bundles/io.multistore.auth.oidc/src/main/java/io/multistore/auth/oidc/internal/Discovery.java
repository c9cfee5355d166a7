package io.multistore.auth.oidc.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two documents clouds fetch to verify the provider's JWTs, rendered once: the OpenID discovery document (the
 * fields multistore serves) and the JWKS (public keys only, the signing key first).
 */
final class Discovery {

    static final String CONFIGURATION = "/.well-known/openid-configuration";
    static final String JWKS = "/.well-known/jwks.json";

    private final String configurationPath;
    private final String jwksPath;
    private final byte[] configuration;
    private final byte[] jwks;

    Discovery(String issuer, ProviderKeys keys) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        String basePath = URI.create(base).getRawPath();
        basePath = basePath == null ? "" : basePath;
        this.configurationPath = basePath + CONFIGURATION;
        this.jwksPath = basePath + JWKS;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", base + JWKS);
        doc.put("response_types_supported", List.of("id_token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti"));
        this.configuration = JSONObjectUtils.toJSONString(doc).getBytes(StandardCharsets.UTF_8);
        this.jwks = JSONObjectUtils.toJSONString(keys.published().toJSONObject(true)).getBytes(StandardCharsets.UTF_8);
    }

    /** The document served at this raw path, or {@code null}. */
    byte[] document(String rawPath) {
        if (rawPath.equals(configurationPath)) {
            return configuration.clone();
        }
        return rawPath.equals(jwksPath) ? jwks.clone() : null;
    }

    String configurationPath() {
        return configurationPath;
    }

    String jwksPath() {
        return jwksPath;
    }
}
