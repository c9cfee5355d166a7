package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Per-bucket backend reachability in readiness (PID {@code io.multistore.health.readiness}, {@code bucket_checks}),
 * and backend errors counted by backend type: with S3Proxy up every bucket is reachable and the node ready; with
 * S3Proxy stopped readiness names each S3 bucket unreachable while the fs bucket stays reachable and liveness stays
 * OK, and the failed requests count in {@code multistore_backend_errors_total{backend_type="s3",...}}.
 */
class BucketReachabilityE2ETest {
    @TempDir
    Path temp;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void readinessNamesTheBucketWhoseBackendStoppedAnswering() throws Exception {
        S3ProxyServer s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        try {
            s3proxy.createBucket("backend");
            Path config = temp.resolve("config.toml");
            Files.writeString(config, """
                    [[buckets]]
                    name = "local"
                    backend_type = "fs"
                    anonymous_access = true
                    [buckets.backend_options]
                    root = "%s"

                    """.formatted(temp.resolve("fs")) + E2E.config(s3proxy));
            Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
            Files.writeString(home.resolve("deploy/io.multistore.health.readiness.cfg"), """
                    bucket_checks=true
                    bucket_check_timeout_ms=2000
                    bucket_check_cache_ms=200
                    """);
            try (MultistoreServer server = MultistoreServer.start(home, config, List.of(), Map.of());
                    S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
                E2E.awaitReady(client, server, "data");
                client.putObject(b -> b.bucket("data").key("k"), RequestBody.fromString("v"));
                URI ready = server.adminEndpoint().resolve("/health/ready");
                server.await("every bucket reachable", Duration.ofSeconds(30), () -> {
                    String body = unescaped(get(ready).body());
                    return body.contains("bucket 'hidden': backend reachable");
                });
                HttpResponse<String> up = get(ready);
                String upBody = unescaped(up.body());
                assertEquals(200, up.statusCode(), upBody);
                for (String bucket : List.of("local", "data", "public", "hidden")) {
                    assertTrue(upBody.contains("bucket '" + bucket + "': backend reachable"), upBody);
                }

                s3proxy.close();
                server.await("readiness to turn 503", Duration.ofSeconds(30), () -> get(ready).statusCode() == 503);
                String downBody = unescaped(get(ready).body());
                for (String bucket : List.of("data", "public", "hidden")) {
                    assertTrue(downBody.contains("bucket '" + bucket + "': backend unreachable"), downBody);
                }
                assertTrue(downBody.contains("bucket 'local': backend reachable"), downBody);
                HttpResponse<String> live = get(server.adminEndpoint().resolve("/health/live"));
                assertEquals(200, live.statusCode(), live.body());

                // requests to the stopped backend fail with 503 and count as that backend type's errors
                assertStatus(503, "ServiceUnavailable", () -> client.putObject(b -> b.bucket("data").key("x"),
                        RequestBody.fromString("x")));
                assertStatus(503, "ServiceUnavailable", () -> client.getObjectAsBytes(b -> b.bucket("data")
                        .key("k")));
                String metrics = get(server.adminEndpoint().resolve("/metrics")).body();
                assertTrue(metrics.matches("(?s).*\\nmultistore_backend_errors_total\\{backend_type=\"s3\","
                        + "code=\"ServiceUnavailable\"} [2-9]\\.0\\n.*"), metrics);
                assertTrue(!metrics.contains("backend_type=\"fs\""), metrics);
                assertTrue(server.log().contains("Bucket 'data': its s3 backend does not answer"), server.log());
            }
        } finally {
            s3proxy.close();
        }
    }

    /** The health JSON may escape quotes as {@code \u0027}. */
    private static String unescaped(String body) {
        return body.replace("\\u0027", "'");
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
