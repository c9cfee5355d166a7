package io.multistore.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real OIDC issuer for tests, on 127.0.0.1: {@code /.well-known/openid-configuration} pointing at
 * {@code /jwks.json}, RSA keys of its own that sign the tokens it issues, and key rotation (the newest key signs,
 * older ones stay published until retired). Over HTTPS when given an {@link SSLContext} (see {@link TestTls}).
 */
public final class OidcIssuer implements AutoCloseable {

    private final HttpServer server;
    private final String url;
    private final List<RSAKey> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger keyCounter = new AtomicInteger();

    private OidcIssuer(HttpServer server, String scheme) {
        this.server = server;
        this.url = scheme + "://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks.json", this::jwks);
        server.start();
        rotate();
    }

    /** A plain-HTTP issuer (for gateways that explicitly allow loopback HTTP issuers). */
    public static OidcIssuer http() throws IOException {
        return new OidcIssuer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                "http");
    }

    /** An HTTPS issuer presenting the certificate of {@code tls}. */
    public static OidcIssuer https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new OidcIssuer(server, "https");
    }

    /** The issuer identifier ({@code iss}), without a trailing slash. */
    public String url() {
        return url;
    }

    /** Adds a new signing key: it signs from now on; the older ones stay in the JWKS. Returns its kid. */
    public String rotate() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("key-" + keyCounter.incrementAndGet())
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
            keys.add(key);
            return key.getKeyID();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes a key from the JWKS. */
    public void retire(String kid) {
        keys.removeIf(k -> k.getKeyID().equals(kid));
    }

    /** The kid of the key that signs now. */
    public String currentKid() {
        return signingKey().getKeyID();
    }

    /** The current signing key (public and private), for tests that forge tokens from it. */
    public RSAKey signingKey() {
        return keys.get(keys.size() - 1);
    }

    /** How often the JWKS was fetched. */
    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** Claims as a typical IdP issues them: this issuer, the subject and audience, iat now, exp in 5 minutes. */
    public JWTClaimsSet.Builder claims(String subject, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(url).subject(subject).audience(audience)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(Long.toHexString(System.nanoTime()));
    }

    /** A token signed with the current key (RS256, kid set). */
    public String sign(JWTClaimsSet claims) {
        return sign(claims, signingKey(), signingKey().getKeyID());
    }

    /** A token signed with the given key under the given kid header (for forged or foreign tokens). */
    public static String sign(JWTClaimsSet claims, RSAKey key, String kid) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void discovery(HttpExchange ex) throws IOException {
        String body = "{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/jwks.json\","
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"],\"response_types_supported\":[\"id_token\"],"
                + "\"subject_types_supported\":[\"public\"]}";
        send(ex, body);
    }

    private void jwks(HttpExchange ex) throws IOException {
        jwksFetches.incrementAndGet();
        List<com.nimbusds.jose.jwk.JWK> published = new ArrayList<>();
        for (RSAKey key : keys) {
            published.add(key.toPublicJWK());
        }
        send(ex, new JWKSet(published).toString());
    }

    private static void send(HttpExchange ex, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
