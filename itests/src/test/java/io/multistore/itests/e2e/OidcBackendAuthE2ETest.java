package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.CloudTokenService;
import io.multistore.testsupport.PemKeys;
import io.multistore.testsupport.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The gateway as its own OIDC provider, through the assembled distribution: {@code OIDC_PROVIDER_KEY} and
 * {@code OIDC_PROVIDER_ISSUER} from the environment, the discovery endpoints on the S3 port, and an
 * {@code auth_type = "oidc"} S3 bucket whose credentials come from the harness's AWS STS — which fetches the
 * gateway's discovery document and JWKS over HTTP and verifies the JWT before issuing the key pair S3Proxy accepts
 * (S3Proxy ignores the session token). Then the bundle is removed and hot-deployed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcBackendAuthE2ETest {

    static final String ROLE = "arn:aws:iam::123456789012:role/multistore-e2e";
    static final String ISSUED_KEY = "ASIAE2EFEDERATED0001";
    static final String ISSUED_SECRET = "e2e-federated-secret-000000000000000001";

    Path temp;
    S3ProxyServer s3proxy;
    String key = PemKeys.generate();

    @BeforeAll
    void start() throws Exception {
        temp = Files.createTempDirectory("oidc-e2e");
        s3proxy = S3ProxyServer.builder().identity(ISSUED_KEY).credential(ISSUED_SECRET)
                .filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("backend");
    }

    @AfterAll
    void stop() {
        s3proxy.close();
    }

    String config(CloudTokenService sts) {
        return """
                [[buckets]]
                name = "federated"
                backend_type = "s3"
                anonymous_access = false
                [buckets.backend_options]
                endpoint = "%s"
                region = "us-east-1"
                bucket_name = "backend"
                auth_type = "oidc"
                oidc_role_arn = "%s"
                sts_endpoint = "%s"

                [[credentials]]
                access_key_id = "%s"
                secret_access_key = "%s"
                principal_name = "e2e"
                created_at = "2024-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "*"
                prefixes = []
                actions = ["get_object", "head_object", "put_object", "list_bucket"]
                """.formatted(s3proxy.endpoint(), ROLE, sts.awsEndpoint(), E2E.KEY, E2E.SECRET);
    }

    MultistoreServer server(String name, CloudTokenService sts, int port, Predicate<Path> include) throws Exception {
        Path home = MultistoreServer.copyDistribution(temp.resolve(name), include);
        Path config = temp.resolve(name + ".toml");
        Files.writeString(config, config(sts));
        return MultistoreServer.start(home, config.toString(), List.of(), Map.of("OIDC_PROVIDER_KEY", key,
                "OIDC_PROVIDER_ISSUER", "http://127.0.0.1:" + port), port);
    }

    static boolean isOidcBundle(Path file) {
        return file.getFileName().toString().startsWith("io.multistore.auth.oidc");
    }

    @Test
    void anOidcBucketIsServedWithCredentialsTheCloudIssuedForTheGatewaysJwt() throws Exception {
        int port = MultistoreServer.freePort();
        try (CloudTokenService sts = CloudTokenService.start("http://127.0.0.1:" + port)
                .awsRole(ROLE, "s3-proxy", ISSUED_KEY, ISSUED_SECRET);
                MultistoreServer server = server("served", sts, port, p -> true);
                S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            E2E.awaitReady(client, server, "federated");
            for (int i = 0; i < 10; i++) {
                int n = i;
                client.putObject(b -> b.bucket("federated").key("k" + n),
                        RequestBody.fromString("value " + n));
            }
            assertArrayEquals("value 7".getBytes(StandardCharsets.UTF_8),
                    client.getObjectAsBytes(b -> b.bucket("federated").key("k7")).asByteArray());
            assertEquals(10, client.listObjectsV2(b -> b.bucket("federated")).keyCount());
            assertEquals(1, sts.issued("aws"), "one exchange for every request");
            assertTrue(sts.rejections().isEmpty(), sts.rejections().toString());

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(URI.create(server.endpoint()
                    + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, discovery.statusCode());
            assertTrue(discovery.body().contains("\"jwks_uri\":\"http://127.0.0.1:" + port
                    + "/.well-known/jwks.json\""), discovery.body());
            assertTrue(discovery.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
            HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(URI.create(server.endpoint()
                    + "/.well-known/jwks.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(jwks.body().contains("\"kty\":\"RSA\"") && !jwks.body().contains("\"d\""), jwks.body());

            // the key is never stored: Config Admin holds the placeholder
            try (var files = Files.walk(server.home().resolve("data/config"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String stored = Files.readString(f);
                    assertFalse(stored.contains("PRIVATE KEY-----"), f.toString());
                }
            }
            assertFalse(server.log().contains(key.substring(40, 80)), "the key never reaches the log");
        }
    }

    @Test
    void theOidcBundleHotDeploys() throws Exception {
        int port = MultistoreServer.freePort();
        try (CloudTokenService sts = CloudTokenService.start("http://127.0.0.1:" + port)
                .awsRole(ROLE, "s3-proxy", ISSUED_KEY, ISSUED_SECRET);
                MultistoreServer bare = server("bare", sts, port, p -> !(p.startsWith("bundle") && isOidcBundle(p)));
                S3Client client = Clients.pathStyle(bare.endpoint(), E2E.KEY, E2E.SECRET)) {
            bare.await("the gateway to answer", Duration.ofSeconds(60), () -> status(client) == 503);
            S3Exception missing = org.junit.jupiter.api.Assertions.assertThrows(S3Exception.class,
                    () -> client.getObjectAsBytes(b -> b.bucket("federated").key("k")));
            assertEquals(503, missing.statusCode());
            assertTrue(missing.awsErrorDetails().errorMessage().contains("io.multistore.auth.oidc"),
                    missing.awsErrorDetails().errorMessage());
            Path pristine = Path.of(System.getProperty("multistore.home", "../distribution/target/multistore-server"));
            try (var jars = Files.list(pristine.resolve("bundle"))) {
                for (Path jar : jars.filter(OidcBackendAuthE2ETest::isOidcBundle).toList()) {
                    Files.copy(jar, bare.deployDir().resolve(jar.getFileName()));
                }
            }
            bare.await("200 once the OIDC bundle is deployed", Duration.ofSeconds(60), () -> status(client) == 200);
            assertEquals(1, sts.issued("aws"));
        }
    }

    /** The status of a ListObjects on the federated bucket. */
    static int status(S3Client client) {
        try {
            client.listObjectsV2(b -> b.bucket("federated"));
            return 200;
        } catch (S3Exception e) {
            return e.statusCode();
        }
    }
}
