package io.multistore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServerEnvironmentTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void passesValidValuesThrough() throws UsageException {
        Map<String, String> properties = ServerEnvironment.frameworkProperties(Map.of(
                "SESSION_TOKEN_KEY", KEY + "\n", "OIDC_PROVIDER_ISSUER", "https://proxy.example.com",
                "OIDC_PROVIDER_KEY", "-----BEGIN PRIVATE KEY-----\n...", "HOME", "/root"));
        assertEquals(KEY, properties.get("SESSION_TOKEN_KEY"));
        assertEquals("https://proxy.example.com", properties.get("OIDC_PROVIDER_ISSUER"));
        assertEquals(3, properties.size());
        assertEquals(Map.of(), ServerEnvironment.frameworkProperties(Map.of()));
    }

    @Test
    void rejectsAKeyOfTheWrongSizeWithoutPrintingIt() {
        String shortKey = Base64.getEncoder().encodeToString("sixteen byte key".getBytes());
        UsageException e = assertThrows(UsageException.class,
                () -> ServerEnvironment.frameworkProperties(Map.of("SESSION_TOKEN_KEY", shortKey)));
        assertTrue(e.getMessage().contains("got 16"), e.getMessage());
        assertFalse(e.getMessage().contains(shortKey));
        assertFalse(e.showUsage());
    }

    @Test
    void rejectsInvalidBase64WithoutPrintingIt() {
        UsageException e = assertThrows(UsageException.class,
                () -> ServerEnvironment.frameworkProperties(Map.of("SESSION_TOKEN_KEY", "not*base64!")));
        assertTrue(e.getMessage().contains("not valid base64"));
        assertFalse(e.getMessage().contains("not*base64!"));
    }

    @Test
    void rejectsMalformedOidcSettings() {
        assertThrows(UsageException.class,
                () -> ServerEnvironment.frameworkProperties(Map.of("OIDC_PROVIDER_KEY", "secret")));
        assertThrows(UsageException.class,
                () -> ServerEnvironment.frameworkProperties(Map.of("OIDC_PROVIDER_ISSUER", "proxy.example.com")));
    }

    @Test
    void thePreviousSessionTokenKeyIsValidatedAndNeedsACurrentOne() throws UsageException {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertEquals(key, ServerEnvironment.frameworkProperties(Map.of("SESSION_TOKEN_KEY", key,
                "SESSION_TOKEN_KEY_PREVIOUS", key + " ")).get("SESSION_TOKEN_KEY_PREVIOUS"));
        UsageException e = assertThrows(UsageException.class, () -> ServerEnvironment.frameworkProperties(
                Map.of("SESSION_TOKEN_KEY", key, "SESSION_TOKEN_KEY_PREVIOUS", "c2hvcnQ=")));
        assertTrue(e.getMessage().startsWith("SESSION_TOKEN_KEY_PREVIOUS must decode to 32 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("c2hvcnQ="));
        assertThrows(UsageException.class, () -> ServerEnvironment.frameworkProperties(
                Map.of("SESSION_TOKEN_KEY_PREVIOUS", key)));
    }

    @Test
    void previousOidcKeysNeedTheCurrentOneAndMustBePem() throws UsageException {
        assertThrows(UsageException.class, () -> ServerEnvironment.frameworkProperties(
                Map.of("OIDC_PROVIDER_KEY_PREVIOUS", "-----BEGIN PRIVATE KEY-----")));
        assertThrows(UsageException.class, () -> ServerEnvironment.frameworkProperties(Map.of("OIDC_PROVIDER_KEY",
                "-----BEGIN PRIVATE KEY-----", "OIDC_PROVIDER_KEY_PREVIOUS", "old")));
        assertEquals("-----BEGIN RSA PRIVATE KEY-----", ServerEnvironment.frameworkProperties(Map.of(
                "OIDC_PROVIDER_KEY", "-----BEGIN PRIVATE KEY-----", "OIDC_PROVIDER_KEY_PREVIOUS",
                "-----BEGIN RSA PRIVATE KEY-----")).get("OIDC_PROVIDER_KEY_PREVIOUS"));
    }
}
