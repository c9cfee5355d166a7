package io.multistore.auth.sts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.Identity;
import io.multistore.api.auth.TemporaryCredential;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

    static final String KEY_A = key(0x42);
    static final String KEY_B = key(0x99);

    static String key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static TemporaryCredential credential() {
        Identity.Temporary identity = new Identity.Temporary("STSPRXYabc", "role-1", "repo:org/app:ref:main",
                Instant.parse("2030-01-01T00:00:00Z"), List.of(new AccessScope("data", List.of("org/app/"),
                        EnumSet.of(Action.GET_OBJECT, Action.PUT_OBJECT))));
        return new TemporaryCredential("STSPRXYabc", "secret-40-chars", identity);
    }

    @Test
    void roundTripKeepsEveryField() {
        SessionTokens tokens = new SessionTokens(KEY_A, null);
        TemporaryCredential opened = tokens.unseal(tokens.seal(credential())).orElseThrow();
        assertEquals(credential().accessKeyId(), opened.accessKeyId());
        assertEquals(credential().secretAccessKey(), opened.secretAccessKey());
        assertEquals(credential().identity(), opened.identity());
    }

    @Test
    void theFormatIsNonceCiphertextTagInBase64UrlOverMultistoresJson() throws Exception {
        String token = new SessionTokens(KEY_A, null).seal(credential());
        assertFalse(token.contains("=") || token.contains("+") || token.contains("/"), token);
        byte[] blob = Base64.getUrlDecoder().decode(token);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(KEY_A), "AES"),
                new GCMParameterSpec(128, blob, 0, 12));
        Map<String, Object> json = JSONObjectUtils.parse(new String(cipher.doFinal(blob, 12, blob.length - 12),
                StandardCharsets.UTF_8));
        assertEquals("STSPRXYabc", json.get("access_key_id"));
        assertEquals("role-1", json.get("assumed_role_id"));
        assertEquals("repo:org/app:ref:main", json.get("source_identity"));
        assertEquals("2030-01-01T00:00:00Z", json.get("expiration"));
        assertEquals(List.of("get_object", "put_object"),
                JSONObjectUtils.getJSONObjectArray(json, "allowed_scopes")[0].get("actions"));
        // a fresh nonce every time
        assertFalse(Arrays.equals(Arrays.copyOf(blob, 12),
                Arrays.copyOf(Base64.getUrlDecoder().decode(new SessionTokens(KEY_A, null).seal(credential())), 12)));
    }

    @Test
    void tamperedTruncatedOrForeignTokensDoNotOpen() {
        SessionTokens tokens = new SessionTokens(KEY_A, null);
        String token = tokens.seal(credential());
        byte[] blob = Base64.getUrlDecoder().decode(token);
        for (int i : new int[] {0, 12, blob.length / 2, blob.length - 1}) {
            byte[] flipped = blob.clone();
            flipped[i] ^= 1;
            assertTrue(tokens.unseal(Base64.getUrlEncoder().withoutPadding().encodeToString(flipped)).isEmpty(),
                    "byte " + i);
        }
        assertTrue(tokens.unseal(token.substring(0, token.length() - 4)).isEmpty());
        assertTrue(tokens.unseal("not base64 !").isEmpty());
        assertTrue(tokens.unseal("FwoGZXIvYXdzEBYaDGFiY2RlZjEyMzQ1Ng").isEmpty()); // an AWS-style token
        assertTrue(tokens.unseal("").isEmpty());
        assertTrue(new SessionTokens(KEY_B, null).unseal(token).isEmpty(), "sealed with another key");
    }

    @Test
    void rotationOpensThePreviousKeyAndSealsWithTheCurrentOne() {
        String old = new SessionTokens(KEY_A, null).seal(credential());
        SessionTokens rotated = new SessionTokens(KEY_B, KEY_A);
        assertTrue(rotated.unseal(old).isPresent(), "tokens of the previous key still open");
        String fresh = rotated.seal(credential());
        assertTrue(new SessionTokens(KEY_B, null).unseal(fresh).isPresent(), "new tokens use the current key");
        assertTrue(new SessionTokens(KEY_A, null).unseal(fresh).isEmpty());
        assertTrue(new SessionTokens(KEY_B, null).unseal(old).isEmpty(), "a removed key no longer opens");
    }

    @Test
    void malformedKeysAreClearErrorsThatNeverEchoTheValue() {
        String notBase64 = "this-is-not-base64!!";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SessionTokens(notBase64, null));
        assertTrue(e.getMessage().contains("SESSION_TOKEN_KEY") && !e.getMessage().contains(notBase64),
                e.getMessage());
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        e = assertThrows(IllegalArgumentException.class, () -> new SessionTokens(KEY_A, short16));
        assertTrue(e.getMessage().contains("SESSION_TOKEN_KEY_PREVIOUS") && e.getMessage().contains("got 16"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SessionTokens("", null));
    }
}
