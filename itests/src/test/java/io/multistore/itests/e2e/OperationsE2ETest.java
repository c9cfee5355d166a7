package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The operator's side through the distribution: the access log, Prometheus metrics and health endpoints on the
 * admin port, the Multistore Web Console page rendered by headless Chromium, and a SIGTERM that turns readiness off
 * first and lets a download in progress complete.
 */
class OperationsE2ETest {
    static final long LARGE = 64L << 20;

    @TempDir
    Path temp;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void observeThenDrain() throws Exception {
        Path root = temp.resolve("buckets/local");
        Path config = temp.resolve("config.toml");
        Files.writeString(config, """
                [[buckets]]
                name = "local"
                backend_type = "fs"
                anonymous_access = true
                backend_prefix = "gw"
                [buckets.backend_options]
                root = "%s"

                [[credentials]]
                access_key_id = "%s"
                secret_access_key = "%s"
                principal_name = "ops-e2e"
                created_at = "2026-01-01T00:00:00Z"
                expires_at = "2099-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "local"
                actions = ["get_object", "put_object", "list_bucket"]

                [[roles]]
                role_id = "ops-role"
                name = "Operators"
                trusted_oidc_issuers = ["https://issuer.example"]
                max_session_duration_secs = 3600
                """.formatted(root, E2E.KEY, E2E.SECRET));
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        // readiness goes off 2 s before the listeners close, so the test can see it
        Path props = home.resolve("etc/config.properties");
        Files.writeString(props, Files.readString(props).replace("multistore.shutdown.delay.ms=0",
                "multistore.shutdown.delay.ms=2000"));

        MultistoreServer server = MultistoreServer.start(home, config, List.of(), Map.of());
        try (server; S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            E2E.awaitReady(client, server, "local");
            URI admin = server.adminEndpoint();
            server.await("readiness", Duration.ofSeconds(30), () -> get(admin.resolve("/health/ready")).statusCode()
                    == 200);

            client.putObject(b -> b.bucket("local").key("ops/small.txt"), RequestBody.fromString("0123456789"));
            assertEquals("0123456789", get(server.endpoint().resolve("/local/ops/small.txt")).body());
            HttpResponse<String> missing = get(server.endpoint().resolve("/local/ops/none"));
            assertEquals(404, missing.statusCode());
            assertTrue(missing.headers().firstValue("Server-Timing").orElse("").startsWith("total;dur="),
                    missing.headers().toString());
            HttpResponse<String> anonymousPut = http.send(HttpRequest.newBuilder(server.endpoint()
                    .resolve("/local/ops/x")).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, anonymousPut.statusCode());

            // access log: one bare JSON line per request on standard output (the harness merges both streams), no
            // logger prefix, no secret
            server.await("the access log lines", Duration.ofSeconds(10), () -> server.log().contains(
                    "\"operation\":\"PutObject\",\"bucket\":\"local\",\"key\":\"ops/x\",\"status\":403,"
                            + "\"error\":\"AccessDenied\""));
            String log = server.log();
            assertTrue(log.lines().anyMatch(l -> l.startsWith("{\"ts\":\"") && l.endsWith("}")
                    && l.contains("\"operation\":\"PutObject\"")), log);
            assertFalse(log.contains("multistore.access - {"), "access log lines went through the logger: " + log);
            assertTrue(log.contains("\"principal\":\"ops-e2e\",\"method\":\"PUT\",\"operation\":\"PutObject\","
                    + "\"bucket\":\"local\",\"key\":\"ops/small.txt\",\"status\":200"), log);
            assertTrue(log.contains("\"operation\":\"GetObject\",\"bucket\":\"local\",\"key\":\"ops/none\","
                    + "\"status\":404,\"error\":\"NoSuchKey\""), log);
            assertFalse(log.contains(E2E.SECRET), "a secret reached the log");

            // metrics on the admin port, not on the S3 port
            String metrics = get(admin.resolve("/metrics")).body();
            assertTrue(metrics.contains("multistore_requests_total{operation=\"GetObject\",status=\"200\"}"), metrics);
            assertTrue(metrics.contains("multistore_requests_total{operation=\"PutObject\",status=\"403\"} 1.0"),
                    metrics);
            assertTrue(metrics.contains("multistore_auth_failures_total{code=\"AccessDenied\"} 1.0"), metrics);
            assertTrue(metrics.contains("multistore_request_duration_seconds_bucket{operation=\"GetObject\""),
                    metrics);
            assertTrue(metrics.contains("multistore_backend_duration_seconds_count{operation=\"GetObject\"}"),
                    metrics);
            assertTrue(metrics.contains("jvm_memory_used_bytes{area=\"heap\"}"), metrics);
            // the file provider reads no network store: no config cache, so none of its series
            assertFalse(metrics.contains("multistore_config_cache_"), metrics);
            assertEquals(404, get(server.endpoint().resolve("/metrics")).statusCode());

            // health: JSON for load balancers
            HttpResponse<String> live = get(admin.resolve("/health/live"));
            assertEquals(200, live.statusCode(), live.body());
            assertTrue(live.body().contains("\"overallResult\":\"OK\""), live.body());
            HttpResponse<String> ready = get(admin.resolve("/health/ready"));
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().matches("(?s).*backends bound: \\[[^\\]]*\\bfs\\b[^\\]]*\\bs3\\b[^\\]]*].*"),
                    ready.body());
            assertEquals(404, get(server.endpoint().resolve("/health/ready")).statusCode());

            consolePage(server, config);
            healthCheckPlugin(server);
            drain(server, client);
        }
    }

    /** Headless Chromium logs in to the Web Console and renders the Multistore page. */
    private void consolePage(MultistoreServer server, Path config) throws Exception {
        String dom = renderConsole(server);
        assertTrue(dom.contains("id=\"buckets\""), dom);
        assertTrue(dom.matches("(?s).*<td>local</td><td>fs</td><td>yes</td><td>yes</td><td>gw/</td>.*"), dom);
        assertTrue(dom.contains("<td>" + E2E.KEY + "</td><td>ops-e2e</td><td>yes</td><td>2099-01-01T00:00:00Z</td>"),
                dom);
        assertTrue(dom.contains("<td>ops-role</td><td>Operators</td>"), dom);
        assertTrue(dom.contains("<td>io.multistore.backend.fs</td>"), dom);
        // the active provider's last load: when, and what it holds; no failure yet
        assertTrue(dom.matches("(?s).*<table id=\"provider-status\".*<td>20\\d\\d-\\d\\d-\\d\\dT[^<]*Z</td>"
                + "<td>buckets=1, roles=1, credentials=1</td><td>none</td><td></td>.*"), dom);
        assertTrue(dom.matches("(?s).*<table id=\"counters\".*<td>[1-9]\\d*</td>.*"), dom);
        assertFalse(dom.contains(E2E.SECRET), "the console showed a secret");

        // a change that does not load: the configuration before stays in force, the page shows the failure
        String good = Files.readString(config);
        Files.writeString(config, good + "\n[[buckets]]\nname = \"local\"\nbackend_type = \"fs\"\n"
                + "anonymous_access = true\n");
        server.await("the reload to fail", Duration.ofSeconds(20), () -> server.log().contains(
                "Keeping the configuration loaded before"));
        String failed = renderConsole(server);
        assertTrue(failed.matches("(?s).*<table id=\"provider-status\".*<td>buckets=1, roles=1, credentials=1</td>"
                + "<td>20\\d\\d-[^<]*Z</td><td>[^<]*config.toml:\\d+: [^<]*duplicate bucket [^<]*</td>.*"), failed);
        assertFalse(failed.contains(E2E.SECRET), "the console showed a secret");
        Files.writeString(config, good);
    }

    private String renderConsole(MultistoreServer server) throws Exception {
        URI page = URI.create("http://" + MultistoreServer.ADMIN_USER + ":" + MultistoreServer.ADMIN_PASSWORD + "@"
                + server.adminEndpoint().getAuthority() + "/system/console/multistore");
        Process p = new ProcessBuilder(Chromium.executable(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + temp.resolve("chromium"), "--virtual-time-budget=5000", "--dump-dom",
                page.toString()).redirectError(temp.resolve("chromium.log").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        return dom;
    }

    /** The Felix Health Check plugin of the Web Console lists the Multistore checks, behind the console's login. */
    private void healthCheckPlugin(MultistoreServer server) throws Exception {
        URI page = server.adminEndpoint().resolve("/system/console/healthcheck");
        assertEquals(401, get(page).statusCode());
        String basic = java.util.Base64.getEncoder().encodeToString((MultistoreServer.ADMIN_USER + ":"
                + MultistoreServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        // every check ('*'), and Multistore's by their tag
        for (String query : List.of("?tags=*", "?tags=multistore")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(page + query))
                    .header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            String body = response.body();
            assertTrue(body.contains("Multistore readiness") && body.contains("Multistore liveness"), body);
            assertTrue(body.contains("backends bound:"), body);
        }
    }

    /** SIGTERM: readiness turns 503 first, a download in progress completes, then the server exits. */
    private void drain(MultistoreServer server, S3Client client) throws Exception {
        PatternStream source = new PatternStream(LARGE, 14);
        client.putObject(b -> b.bucket("local").key("ops/large"),
                RequestBody.fromContentProvider(() -> source, LARGE, "application/octet-stream"));
        byte[] expected = source.sha256();

        HttpURLConnection download = (HttpURLConnection) server.endpoint().resolve("/local/ops/large").toURL()
                .openConnection();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long received = 0;
        try (InputStream in = download.getInputStream()) {
            byte[] buffer = new byte[1 << 16];
            // 1 MiB, then the signal, then the rest slowly: about 6 s, all after SIGTERM
            for (int n; received < (1 << 20) && (n = in.read(buffer)) > 0; received += n) {
                digest.update(buffer, 0, n);
            }
            // the download is the one request under way (the earlier ones have completed by now)
            server.await("one request in flight", Duration.ofSeconds(10), () -> get(server.adminEndpoint()
                    .resolve("/metrics")).body().contains("\nmultistore_requests_in_flight 1.0\n"));
            ProcessHandle.of(server.pid()).orElseThrow().destroy();
            server.await("readiness to turn 503", Duration.ofSeconds(2), () -> {
                try {
                    return get(server.adminEndpoint().resolve("/health/ready")).statusCode() == 503;
                } catch (IOException e) {
                    return false;
                }
            });
            int reads = 0;
            for (int n; (n = in.read(buffer)) > 0; received += n) {
                digest.update(buffer, 0, n);
                if (++reads % 16 == 0) {
                    Thread.sleep(100);
                }
            }
        }
        assertEquals(LARGE, received, "the download in progress at SIGTERM was cut");
        assertArrayEquals(expected, digest.digest());
        CompletableFuture<ProcessHandle> exit = ProcessHandle.of(server.pid()).map(ProcessHandle::onExit)
                .orElse(CompletableFuture.completedFuture(null));
        exit.get(30, TimeUnit.SECONDS);
        assertThrows(ConnectException.class, () -> get(server.endpoint().resolve("/local/ops/small.txt")));
        String log = server.log();
        assertTrue(log.contains("shutting down: not ready"), log);
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
