package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.Await;
import io.multistore.testsupport.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The server's log as an operator reads it, at DEBUG: no secret from the configuration or the requests, no ERROR
 * for what clients get wrong, and each missing capability reported once, not once per request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorLogE2ETest {

    @TempDir
    static Path temp;

    S3ProxyServer s3proxy;
    MultistoreServer server;
    S3Client client;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws IOException {
        s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("backend");
        String extra = """

                [[buckets]]
                name = "hdfs-only"
                backend_type = "hdfs"
                anonymous_access = true
                [buckets.backend_options]
                account_name = "acct"
                access_key = "AZURE-ACCOUNT-KEY-NEVER-LOGGED"

                [[buckets]]
                name = "federated"
                backend_type = "s3"
                anonymous_access = true
                [buckets.backend_options]
                bucket_name = "backend"
                auth_type = "oidc"
                oidc_role_arn = "arn:aws:iam::123456789012:role/gateway"

                [[buckets]]
                name = "typo"
                backend_type = "s3"
                anonymous_access = true
                [buckets.backend_options]
                endpoint = "%s"
                bucket_name = "backend"
                access_key_id = "%s"
                secret_access_key = "%s"
                endpiont = "http://mistyped"
                """.formatted(s3proxy.endpoint(), s3proxy.identity(), s3proxy.credential());
        Path config = temp.resolve("config.toml");
        Files.writeString(config, E2E.config(s3proxy) + extra);
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        server = MultistoreServer.start(home, config, List.of(), Map.of("RUST_LOG", "multistore=debug"));
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        E2E.awaitReady(client, server, "data");
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        Stream.of(server, s3proxy).filter(c -> c != null).forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private int status(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theLogTellsTheOperatorWhatToFixOnceAndNothingSecret() throws Exception {
        // ordinary traffic, signed
        client.putObject(b -> b.bucket("data").key("log/a.txt"), RequestBody.fromString("a"));
        client.getObjectAsBytes(b -> b.bucket("data").key("log/a.txt"));
        client.listObjectsV2(b -> b.bucket("data").prefix("log/"));
        // client mistakes: a wrong secret, an unknown key, an unknown bucket, an unsupported sub-resource
        try (S3Client wrong = Clients.pathStyle(server.endpoint(), E2E.KEY, "not-the-secret-000000000000")) {
            assertThrows(S3Exception.class, () -> wrong.getObject(b -> b.bucket("data").key("log/a.txt")));
        }
        assertThrows(S3Exception.class, () -> client.getObjectAsBytes(b -> b.bucket("data").key("log/absent")));
        assertEquals(404, status("/no-such-bucket/k"));
        assertEquals(501, status("/public?policy"));
        assertEquals(403, status("/data/log/a.txt"));
        // a bucket whose backend type is not installed, and one whose auth_type cannot be served (the OIDC provider
        // has no key): 503 each time
        for (int i = 0; i < 3; i++) {
            assertEquals(503, status("/hdfs-only/k"));
            assertEquals(503, status("/federated/k"));
        }
        // a misspelt option is reported when the bucket is first used
        assertEquals(404, status("/typo/absent"));

        Await.untilAsserted(Duration.ofSeconds(10), () -> assertTrue(server.log().contains("endpiont"),
                "unknown option not reported"));
        String log = server.log();
        List<String> lines = log.lines().toList();

        for (String secret : List.of(E2E.SECRET, E2E.READER_SECRET, s3proxy.credential(),
                "AZURE-ACCOUNT-KEY-NEVER-LOGGED", "not-the-secret-000000000000", MultistoreServer.ADMIN_PASSWORD)) {
            assertFalse(log.contains(secret), "a secret reached the log: " + secret);
        }
        assertEquals(List.of(), lines.stream().filter(l -> l.matches(".*Signature=[0-9a-f]{64}.*")).toList(),
                "an Authorization header reached the log");

        List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(List.of(), errors, "client mistakes and known conditions must not be logged as ERROR");

        assertEquals(1, lines.stream().filter(l -> l.contains(" WARN ") && l.contains("backend_type 'hdfs'")).count(),
                "the missing backend type is reported once:\n" + log);
        assertEquals(1, lines.stream().filter(l -> l.contains(" WARN ") && l.contains("auth_type 'oidc'")).count(),
                "the unconfigured OIDC provider is reported once:\n" + log);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" WARN ") && l.contains("'typo'")
                && l.contains("[endpiont]")), "the unknown option is named with its bucket:\n" + log);
    }
}
