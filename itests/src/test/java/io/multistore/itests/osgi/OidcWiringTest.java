package io.multistore.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.multistore.api.auth.BackendCredentialSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The OIDC provider bundle in Felix: configured as the launcher configures it (the key and issuer as placeholders
 * of framework properties), it registers the {@code oidc} backend credential source and serves its discovery
 * endpoints on the S3 port; uninstalled, both are gone and the paths fall through to the S3 API; installed again,
 * both are back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OidcWiringTest extends TestSupport {

    static final String SOURCE_FILTER = "(" + BackendCredentialSource.AUTH_TYPE + "=oidc)";

    @Configuration
    public Option[] config() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        // as the launcher hands OIDC_PROVIDER_KEY and OIDC_PROVIDER_ISSUER to the framework
        return new Option[] {distribution(), CoreOptions.systemProperty("OIDC_PROVIDER_KEY").value(pem),
            CoreOptions.systemProperty("OIDC_PROVIDER_ISSUER").value("https://gateway.example.com")};
    }

    @Test
    public void providerComponentsFollowTheBundle() throws Exception {
        org.osgi.service.cm.Configuration cli = configure("io.multistore.auth.oidc.cli", "provider_key",
                "$[prop:OIDC_PROVIDER_KEY]", "issuer", "$[prop:OIDC_PROVIDER_ISSUER]");
        try {
            waitFor("the oidc credential source", () -> sources() == 1);
            waitFor("the discovery document", () -> get("/.well-known/openid-configuration")
                    .contains("\"jwks_uri\":\"https://gateway.example.com/.well-known/jwks.json\""));
            String jwks = get("/.well-known/jwks.json");
            assertTrue(jwks, jwks.contains("\"kty\":\"RSA\"") && !jwks.contains("\"d\""));

            Bundle installed = oidcBundle();
            String location = installed.getLocation();
            installed.uninstall();
            waitFor("the source gone", () -> sources() == 0);
            String fallsThrough = get("/.well-known/jwks.json");
            assertTrue(fallsThrough, fallsThrough.contains("<Error>"));

            context.installBundle(location).start();
            waitFor("the source back", () -> sources() == 1);
            waitFor("the JWKS back", () -> get("/.well-known/jwks.json").contains("\"kty\":\"RSA\""));
            assertEquals(1, sources());
        } finally {
            cli.delete();
        }
    }

    private int sources() {
        try {
            var refs = context.getServiceReferences(BackendCredentialSource.class, SOURCE_FILTER);
            return refs.size();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Bundle oidcBundle() {
        for (Bundle b : context.getBundles()) {
            if ("io.multistore.auth.oidc".equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("io.multistore.auth.oidc is not installed");
    }

    private String get(String path) {
        try {
            HttpURLConnection conn = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort() + path)
                    .openConnection();
            int status = conn.getResponseCode();
            try (InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream()) {
                return status + " " + (in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return "unreachable: " + e;
        }
    }
}
