package io.multistore.auth.sts.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.Identity;
import io.multistore.api.auth.TemporaryCredential;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Temporary credentials sealed into the session token itself, so no node keeps state: AES-256-GCM,
 * {@code base64url(nonce[12] || ciphertext || tag[16])} without padding, over the JSON the Rust multistore seals
 * (snake_case fields, RFC 3339 expiration), so a token minted by one implementation opens in the other under the
 * same key. New tokens use the current key; tokens sealed with the previous key still open (rotation).
 */
final class SessionTokens {

    static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_LENGTH = 32;
    /** Far above any real token (a few KiB), so a huge header cannot make us decode megabytes. */
    private static final int MAX_TOKEN_CHARS = 64 * 1024;

    private final SecretKey current;
    private final List<SecretKey> accepted;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param currentKey  base64 of 32 bytes
     * @param previousKey base64 of 32 bytes, or empty/null for none
     * @throws IllegalArgumentException naming the setting, never echoing the value
     */
    SessionTokens(String currentKey, String previousKey) {
        this.current = key(currentKey, "SESSION_TOKEN_KEY");
        List<SecretKey> keys = new ArrayList<>();
        keys.add(current);
        if (previousKey != null && !previousKey.isBlank()) {
            keys.add(key(previousKey, "SESSION_TOKEN_KEY_PREVIOUS"));
        }
        this.accepted = List.copyOf(keys);
    }

    static SecretKey key(String base64, String name) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not valid base64; generate one with: openssl rand -base64 32");
        }
        if (bytes.length != KEY_LENGTH) {
            throw new IllegalArgumentException(name + " must decode to 32 bytes (AES-256), got " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** Seals the credential with the current key. */
    String seal(TemporaryCredential credential) {
        byte[] plaintext = JSONObjectUtils.toJSONString(toJson(credential)).getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext);
            ByteBuffer blob = ByteBuffer.allocate(NONCE_LENGTH + sealed.length).put(nonce).put(sealed);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(blob.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens a token with the current key, then the previous one. Expiry is not checked here (the gateway answers
     * ExpiredToken for it).
     *
     * @return the credential, or empty when no key opens it (tampered, foreign key, not a sealed token)
     */
    Optional<TemporaryCredential> unseal(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        byte[] blob;
        try {
            blob = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (blob.length <= NONCE_LENGTH + TAG_BITS / 8) {
            return Optional.empty();
        }
        for (SecretKey key : accepted) {
            byte[] plaintext = open(key, blob);
            if (plaintext != null) {
                return Optional.ofNullable(fromJson(new String(plaintext, StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    private static byte[] open(SecretKey key, byte[] blob) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, blob, 0, NONCE_LENGTH));
            return cipher.doFinal(blob, NONCE_LENGTH, blob.length - NONCE_LENGTH);
        } catch (javax.crypto.AEADBadTagException e) {
            return null; // another key, or tampered
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    static Map<String, Object> toJson(TemporaryCredential credential) {
        Identity.Temporary identity = credential.identity();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_key_id", credential.accessKeyId());
        json.put("secret_access_key", credential.secretAccessKey());
        json.put("session_token", ""); // the Rust record has the field; the token is the sealed blob itself
        json.put("expiration", identity.expiresAt().toString());
        List<Object> scopes = new ArrayList<>();
        for (AccessScope scope : identity.scopes()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("bucket", scope.bucket());
            s.put("prefixes", new ArrayList<>(scope.prefixes()));
            List<Object> actions = new ArrayList<>();
            scope.actions().stream().sorted().forEach(a -> actions.add(a.wireName()));
            s.put("actions", actions);
            scopes.add(s);
        }
        json.put("allowed_scopes", scopes);
        json.put("assumed_role_id", identity.roleId());
        json.put("source_identity", identity.subject());
        return json;
    }

    /** @return the credential, or {@code null} when the authenticated plaintext is not a credential record */
    static TemporaryCredential fromJson(String text) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(text);
            String accessKeyId = JSONObjectUtils.getString(json, "access_key_id");
            String secret = JSONObjectUtils.getString(json, "secret_access_key");
            Instant expiration = Instant.from(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME
                    .parse(JSONObjectUtils.getString(json, "expiration")));
            List<AccessScope> scopes = new ArrayList<>();
            for (Map<String, Object> s : JSONObjectUtils.getJSONObjectArray(json, "allowed_scopes")) {
                Set<Action> actions = EnumSet.noneOf(Action.class);
                for (String a : JSONObjectUtils.getStringList(s, "actions")) {
                    Action.fromWireName(a).ifPresent(actions::add); // an action this gateway lacks grants nothing
                }
                scopes.add(new AccessScope(JSONObjectUtils.getString(s, "bucket"),
                        JSONObjectUtils.getStringList(s, "prefixes"), actions));
            }
            if (accessKeyId == null || secret == null) {
                return null;
            }
            Identity.Temporary identity = new Identity.Temporary(accessKeyId,
                    JSONObjectUtils.getString(json, "assumed_role_id"),
                    JSONObjectUtils.getString(json, "source_identity"), expiration, scopes);
            return new TemporaryCredential(accessKeyId, secret, identity);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }
}
