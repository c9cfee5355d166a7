package io.multistore.launcher;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets and settings the Rust server reads from its environment, validated before anything starts and handed
 * to the bundles as framework properties of the same name ({@code BundleContext.getProperty("SESSION_TOKEN_KEY")}).
 * Framework properties live only in memory, so secrets never reach the Config Admin store, a file or the Web
 * Console. Values are never printed.
 */
public final class ServerEnvironment {

    public static final String SESSION_TOKEN_KEY = "SESSION_TOKEN_KEY";
    /** Beyond multistore: the key before the last rotation; tokens sealed with it still open. */
    public static final String SESSION_TOKEN_KEY_PREVIOUS = "SESSION_TOKEN_KEY_PREVIOUS";
    public static final String OIDC_PROVIDER_KEY = "OIDC_PROVIDER_KEY";
    public static final String OIDC_PROVIDER_ISSUER = "OIDC_PROVIDER_ISSUER";
    /** Beyond multistore: signing keys from before a rotation (PEM, several may be concatenated), still published. */
    public static final String OIDC_PROVIDER_KEY_PREVIOUS = "OIDC_PROVIDER_KEY_PREVIOUS";

    private ServerEnvironment() {
    }

    /** Validates the variables and returns those that are set, as framework properties. */
    public static Map<String, String> frameworkProperties(Map<String, String> env) throws UsageException {
        Map<String, String> properties = new LinkedHashMap<>();
        String key = env.get(SESSION_TOKEN_KEY);
        if (key != null) {
            validateSessionTokenKey(SESSION_TOKEN_KEY, key);
            properties.put(SESSION_TOKEN_KEY, key.trim());
        }
        String previous = env.get(SESSION_TOKEN_KEY_PREVIOUS);
        if (previous != null && !previous.isBlank()) {
            if (key == null) {
                throw new UsageException(SESSION_TOKEN_KEY_PREVIOUS + " is set but " + SESSION_TOKEN_KEY
                        + " is not: the previous key only opens old tokens, new ones need the current key", false);
            }
            validateSessionTokenKey(SESSION_TOKEN_KEY_PREVIOUS, previous);
            properties.put(SESSION_TOKEN_KEY_PREVIOUS, previous.trim());
        }
        String pem = env.get(OIDC_PROVIDER_KEY);
        if (pem != null) {
            if (!pem.contains("-----BEGIN")) {
                throw new UsageException(OIDC_PROVIDER_KEY + " must be a PEM-encoded RSA private key", false);
            }
            properties.put(OIDC_PROVIDER_KEY, pem);
        }
        String previousPem = env.get(OIDC_PROVIDER_KEY_PREVIOUS);
        if (previousPem != null && !previousPem.isBlank()) {
            if (pem == null) {
                throw new UsageException(OIDC_PROVIDER_KEY_PREVIOUS + " is set but " + OIDC_PROVIDER_KEY
                        + " is not: previous keys are only published, new tokens need the current key", false);
            }
            if (!previousPem.contains("-----BEGIN")) {
                throw new UsageException(OIDC_PROVIDER_KEY_PREVIOUS + " must hold PEM-encoded RSA private keys",
                        false);
            }
            properties.put(OIDC_PROVIDER_KEY_PREVIOUS, previousPem);
        }
        String issuer = env.get(OIDC_PROVIDER_ISSUER);
        if (issuer != null) {
            if (!(issuer.startsWith("https://") || issuer.startsWith("http://"))) {
                throw new UsageException(OIDC_PROVIDER_ISSUER + " must be an http(s) URL", false);
            }
            properties.put(OIDC_PROVIDER_ISSUER, issuer);
        }
        return properties;
    }

    static void validateSessionTokenKey(String name, String value) throws UsageException {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new UsageException(name
                    + " is not valid base64; generate one with: openssl rand -base64 32", false);
        }
        if (decoded.length != 32) {
            throw new UsageException(name + " must decode to 32 bytes (AES-256), got "
                    + decoded.length + "; generate one with: openssl rand -base64 32", false);
        }
    }
}
