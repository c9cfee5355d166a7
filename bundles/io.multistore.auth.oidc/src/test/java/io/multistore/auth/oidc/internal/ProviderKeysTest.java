package io.multistore.auth.oidc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import io.multistore.testsupport.PemKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderKeysTest {

    static final String KEY = PemKeys.generate();

    @Test
    void kidIsTheKeysThumbprintWhateverItsPemFlavour() {
        ProviderKeys pkcs8 = ProviderKeys.parse(KEY, "");
        ProviderKeys pkcs1 = ProviderKeys.parse(PemKeys.toPkcs1(KEY), null);
        assertEquals(pkcs8.signing().getKeyID(), pkcs1.signing().getKeyID());
        assertEquals(43, pkcs8.signing().getKeyID().length(), "base64url of SHA-256");
        assertNotEquals(pkcs8.signing().getKeyID(), ProviderKeys.parse(PemKeys.generate(), "").signing().getKeyID());
        // an environment variable holding the PEM with literal \n works too
        assertEquals(pkcs8.signing().getKeyID(), ProviderKeys.parse(KEY.replace("\n", "\\n"), "").signing().getKeyID());
    }

    @Test
    void malformedKeysAreErrorsNamingTheSettingNeverTheKey() {
        IllegalArgumentException notPem = assertThrows(IllegalArgumentException.class,
                () -> ProviderKeys.parse("secret-material", ""));
        assertTrue(notPem.getMessage().contains("OIDC_PROVIDER_KEY"), notPem.getMessage());
        assertFalse(notPem.getMessage().contains("secret-material"));
        String broken = KEY.substring(0, 100) + KEY.substring(140);
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> ProviderKeys.parse(broken, ""));
        assertTrue(unreadable.getMessage().contains("OIDC_PROVIDER_KEY"), unreadable.getMessage());
        IllegalArgumentException previous = assertThrows(IllegalArgumentException.class,
                () -> ProviderKeys.parse(KEY, "nothing"));
        assertTrue(previous.getMessage().contains("OIDC_PROVIDER_KEY_PREVIOUS"), previous.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProviderKeys.parse(KEY + KEY, ""));
    }

    @Test
    void mintedJwtCarriesMultistoresClaimsAndVerifiesWithThePublishedKey() throws Exception {
        ProviderKeys keys = ProviderKeys.parse(KEY, "");
        JwtMinter minter = new JwtMinter(keys, "https://proxy.example.com", Duration.ofSeconds(300),
                Clock.systemUTC());
        SignedJWT jwt = SignedJWT.parse(minter.mint("s3-proxy", "sts.amazonaws.com"));
        assertEquals("RS256", jwt.getHeader().getAlgorithm().getName());
        assertEquals("JWT", jwt.getHeader().getType().getType());
        assertEquals(keys.signing().getKeyID(), jwt.getHeader().getKeyID());
        var claims = jwt.getJWTClaimsSet();
        assertEquals("https://proxy.example.com", claims.getIssuer());
        assertEquals("s3-proxy", claims.getSubject());
        assertEquals(List.of("sts.amazonaws.com"), claims.getAudience());
        assertEquals(300, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
        assertEquals(claims.getIssueTime(), claims.getNotBeforeTime());
        assertTrue(claims.getJWTID() != null && !claims.getJWTID().isEmpty());
        assertTrue(jwt.verify(new RSASSAVerifier(keys.published().getKeyByKeyId(keys.signing().getKeyID())
                .toRSAKey())));
    }

    @Test
    void discoveryDocumentsFollowTheIssuer() throws Exception {
        Discovery discovery = new Discovery("https://proxy.example.com/", ProviderKeys.parse(KEY, ""));
        Map<String, Object> doc = JSONObjectUtils.parse(new String(
                discovery.document("/.well-known/openid-configuration"), StandardCharsets.UTF_8));
        assertEquals("https://proxy.example.com/", doc.get("issuer"));
        assertEquals("https://proxy.example.com/.well-known/jwks.json", doc.get("jwks_uri"));
        assertEquals(List.of("RS256"), doc.get("id_token_signing_alg_values_supported"));
        assertEquals(List.of("id_token"), doc.get("response_types_supported"));
        assertEquals(List.of("public"), doc.get("subject_types_supported"));
        Map<String, Object> jwks = JSONObjectUtils.parse(new String(discovery.document("/.well-known/jwks.json"),
                StandardCharsets.UTF_8));
        Map<?, ?> key = (Map<?, ?>) ((List<?>) jwks.get("keys")).get(0);
        assertEquals("RSA", key.get("kty"));
        assertEquals("RS256", key.get("alg"));
        assertEquals("sig", key.get("use"));
        assertFalse(key.containsKey("d"));
        Discovery below = new Discovery("https://host.example.com/tenant", ProviderKeys.parse(KEY, ""));
        assertEquals("/tenant/.well-known/jwks.json", below.jwksPath());
        assertEquals(null, below.document("/.well-known/jwks.json"));
    }

    @Test
    void awsSessionNamesAreSanitisedAsMultistoreDoes() {
        assertEquals("scv1_conn_abc-123", AwsExchange.sessionName("scv1:conn:abc-123"));
        assertEquals("s3-proxy", AwsExchange.sessionName(":"));
        assertEquals(64, AwsExchange.sessionName("a".repeat(100)).length());
    }
}
