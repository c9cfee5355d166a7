package io.multistore.testsupport;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;

/** RSA private keys in PEM, as operators generate them ({@code openssl genrsa 2048}), for OIDC provider tests. */
public final class PemKeys {

    private PemKeys() {
    }

    /** A new 2048-bit key, PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, OpenSSL 3's default). */
    public static String generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same 2048-bit key as PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----}, older OpenSSL's default). */
    public static String toPkcs1(String pkcs8Pem) {
        byte[] der = Base64.getMimeDecoder().decode(pkcs8Pem.replaceAll("-----[A-Z ]+-----", ""));
        // SEQUENCE(4) INTEGER 0(3) AlgorithmIdentifier(15) OCTET STRING header(4), then the PKCS#1 key
        return pem("RSA PRIVATE KEY", Arrays.copyOfRange(der, 26, der.length));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
