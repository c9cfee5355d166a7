package io.multistore.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code 127.0.0.1}/{@code localhost}, made with the JDK's {@code keytool}: a PKCS12
 * key store for servers and a trust store holding only the certificate, for the JVMs that must trust them
 * ({@code -Djavax.net.ssl.trustStore=…}) and an {@code AWS_CA_BUNDLE} PEM for aws-cli.
 */
public final class TestTls {

    public static final String PASSWORD = "changeit";

    private final Path keyStore;
    private final Path trustStore;
    private final Path pem;

    private TestTls(Path keyStore, Path trustStore, Path pem) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.pem = pem;
    }

    public static TestTls create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("server.p12");
        Path trustStore = dir.resolve("trust.p12");
        Path pem = dir.resolve("ca.pem");
        Files.deleteIfExists(keyStore);
        Files.deleteIfExists(trustStore);
        Files.deleteIfExists(pem);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "BC:c=ca:true",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD);
        keytool(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass",
                PASSWORD, "-file", pem.toString());
        keytool(keytool, "-importcert", "-noprompt", "-alias", "server", "-file", pem.toString(), "-storetype",
                "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        return new TestTls(keyStore, trustStore, pem);
    }

    private static void keytool(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }

    /** The trust store (PKCS12, password {@value #PASSWORD}) holding only this certificate. */
    public Path trustStore() {
        return trustStore;
    }

    /** The certificate as PEM. */
    public Path pem() {
        return pem;
    }

    /** A server context presenting the certificate. */
    public SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** A client context trusting only the certificate. */
    public SSLContext clientContext() throws IOException, GeneralSecurityException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            ts.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
