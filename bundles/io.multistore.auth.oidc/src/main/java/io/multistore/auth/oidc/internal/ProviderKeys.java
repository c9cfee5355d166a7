package io.multistore.auth.oidc.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provider's RSA keys: the current one signs, the previous ones are only published (rotation). Each key's
 * {@code kid} is its RFC 7638 JWK thumbprint (SHA-256, base64url), so it is stable across restarts and instances and
 * changes exactly when the key does. Keys are PEM, PKCS#8 ({@code BEGIN PRIVATE KEY}, what
 * {@code openssl genrsa} writes since OpenSSL 3) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). A key that cannot be
 * read is an {@link IllegalArgumentException} naming the setting, never the key.
 */
final class ProviderKeys {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (RSA )?PRIVATE KEY-----");
    /** DER of the PKCS#8 AlgorithmIdentifier for rsaEncryption (OID 1.2.840.113549.1.1.1, NULL parameters). */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    static final int MIN_BITS = 2048;

    private final RSAKey signing;
    private final JWKSet published;

    private ProviderKeys(RSAKey signing, JWKSet published) {
        this.signing = signing;
        this.published = published;
    }

    /**
     * @param currentPem  the signing key
     * @param previousPem older keys, concatenated PEM, or blank
     * @throws IllegalArgumentException when a key is not a PEM RSA private key of at least 2048 bits
     */
    static ProviderKeys parse(String currentPem, String previousPem) {
        List<RSAKey> current = keys(currentPem, "OIDC_PROVIDER_KEY");
        if (current.size() != 1) {
            throw new IllegalArgumentException("OIDC_PROVIDER_KEY must hold exactly one PEM RSA private key, found "
                    + current.size());
        }
        Map<String, RSAKey> all = new LinkedHashMap<>();
        all.put(current.get(0).getKeyID(), current.get(0));
        if (previousPem != null && !previousPem.isBlank()) {
            List<RSAKey> previous = keys(previousPem, "OIDC_PROVIDER_KEY_PREVIOUS");
            if (previous.isEmpty()) {
                throw new IllegalArgumentException("OIDC_PROVIDER_KEY_PREVIOUS holds no PEM RSA private key");
            }
            previous.forEach(k -> all.putIfAbsent(k.getKeyID(), k));
        }
        List<RSAKey> publicKeys = all.values().stream().map(RSAKey::toPublicJWK).toList();
        return new ProviderKeys(current.get(0), new JWKSet(new ArrayList<>(publicKeys)));
    }

    /** The key that signs, with its private part. */
    RSAKey signing() {
        return signing;
    }

    /** Every key's public part, the signing key first: the JWKS. */
    JWKSet published() {
        return published;
    }

    private static List<RSAKey> keys(String pem, String setting) {
        List<RSAKey> keys = new ArrayList<>();
        Matcher m = PEM.matcher(pem.replace("\\n", "\n"));
        while (m.find()) {
            boolean pkcs1 = m.group(1) != null;
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + " is not valid PEM (bad base64)");
            }
            keys.add(key(pkcs1 ? pkcs8(der) : der, setting));
        }
        if (keys.isEmpty() && !pem.isBlank()) {
            throw new IllegalArgumentException(setting + " is not a PEM RSA private key (expected -----BEGIN "
                    + "PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
        }
        return keys;
    }

    private static RSAKey key(byte[] pkcs8, String setting) {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            if (!(factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)) instanceof RSAPrivateCrtKey priv)) {
                throw new IllegalArgumentException(setting + " lacks the RSA CRT parameters");
            }
            if (priv.getModulus().bitLength() < MIN_BITS) {
                throw new IllegalArgumentException(setting + " is an RSA key of " + priv.getModulus().bitLength()
                        + " bits; RS256 needs at least " + MIN_BITS);
            }
            RSAPublicKey pub = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            String kid = new RSAKey.Builder(pub).build().computeThumbprint().toString();
            return new RSAKey.Builder(pub).privateKey(priv).keyID(kid).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).build();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalArgumentException(setting + " is not a readable RSA private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo, which the JDK reads. */
    private static byte[] pkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04); // OCTET STRING
        body.writeBytes(length(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30); // SEQUENCE
        out.writeBytes(length(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        byte[] digits = BigInteger.valueOf(length).toByteArray();
        int skip = digits[0] == 0 ? 1 : 0;
        byte[] out = new byte[digits.length - skip + 1];
        out[0] = (byte) (0x80 | (digits.length - skip));
        System.arraycopy(digits, skip, out, 1, digits.length - skip);
        return out;
    }
}
