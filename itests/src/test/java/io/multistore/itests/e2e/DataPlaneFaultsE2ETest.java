package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.itests.e2e.FaultProxy.Fault;
import io.multistore.testsupport.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the S3 backend's data plane must not lose when the network between the gateway and its store fails. The
 * store is a real S3Proxy; between it and the gateway sits a {@link FaultProxy} per bucket, each injecting one fault
 * on its first connections. Clients never retry here, so every outcome is the gateway's own.
 */
class DataPlaneFaultsE2ETest {

    private static final int SMALL = 4096;
    private static final int LARGE = 4 << 20;

    @TempDir
    static Path temp;

    private static S3ProxyServer s3proxy;
    private static S3Client direct;
    private static final List<FaultProxy> PROXIES = new ArrayList<>();
    private static FaultProxy resetEarly;
    private static FaultProxy resetAnswer;
    private static FaultProxy resetRequest;
    private static FaultProxy slow;
    private static FaultProxy slowDownOnce;
    private static FaultProxy slowDownAlways;
    private static MultistoreServer server;
    private static S3Client client;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static byte[] small;
    private static byte[] large;

    @BeforeAll
    static void start() throws Exception {
        s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("backend");
        int port = s3proxy.endpointUri().getPort();
        resetEarly = proxy(new FaultProxy(port, Fault.RESET_BEFORE_ANSWER, 1, 0));
        resetAnswer = proxy(new FaultProxy(port, Fault.RESET_ANSWER_AFTER, 1000, 1 << 20));
        resetRequest = proxy(new FaultProxy(port, Fault.RESET_REQUEST_AFTER, 1000, 1 << 20));
        slow = proxy(new FaultProxy(port, Fault.SLOW_ANSWER, 1000, 512 * 1024));
        slowDownOnce = proxy(new FaultProxy(port, Fault.SLOW_DOWN, 1, 0));
        slowDownAlways = proxy(new FaultProxy(port, Fault.SLOW_DOWN, 1000, 0));

        StringBuilder config = new StringBuilder();
        bucket(config, "direct", s3proxy.endpoint());
        bucket(config, "reset-early", resetEarly.endpoint());
        bucket(config, "reset-answer", resetAnswer.endpoint());
        bucket(config, "reset-request", resetRequest.endpoint());
        bucket(config, "slow", slow.endpoint());
        bucket(config, "slowdown-once", slowDownOnce.endpoint());
        bucket(config, "slowdown-always", slowDownAlways.endpoint());
        config.append("""
                [[credentials]]
                access_key_id = "%s"
                secret_access_key = "%s"
                principal_name = "e2e"
                created_at = "2026-01-01T00:00:00Z"
                enabled = true
                [[credentials.allowed_scopes]]
                bucket = "*"
                prefixes = []
                actions = ["get_object", "head_object", "put_object", "list_bucket"]
                """.formatted(E2E.KEY, E2E.SECRET));
        Path file = temp.resolve("config.toml");
        Files.writeString(file, config);
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        server = MultistoreServer.start(home, file, List.of(), Map.of());
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        E2E.awaitReady(client, server, "direct");

        direct = Clients.pathStyle(s3proxy.endpointUri(), s3proxy.identity(), s3proxy.credential());
        small = random(SMALL, 1);
        large = random(LARGE, 2);
        direct.putObject(b -> b.bucket("backend").key("small"), RequestBody.fromBytes(small));
        direct.putObject(b -> b.bucket("backend").key("large"), RequestBody.fromBytes(large));
    }

    @AfterAll
    static void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        for (FaultProxy p : PROXIES) {
            p.close();
        }
        if (direct != null) {
            direct.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    @Test
    void resetBeforeTheFirstByteIsRetriedAndTheClientSees200() throws Exception {
        HttpResponse<byte[]> response = get("reset-early", "small");
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        assertArrayEquals(small, response.body());
        assertEquals(1, resetEarly.faults(), "the first attempt met the reset");
    }

    @Test
    void resetAfterTheFirstByteAbortsTheClientsDownload() throws Exception {
        HttpResponse<InputStream> response = HTTP.send(request("reset-answer", "large").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        IOException cut = assertThrows(IOException.class, () -> {
            try (InputStream in = response.body()) {
                long n = in.transferTo(java.io.OutputStream.nullOutputStream());
                // a clean end before the last byte would pass a short object off as complete
                throw new AssertionError("the download ended normally after " + n + " of " + LARGE + " bytes");
            }
        });
        assertTrue(resetAnswer.faults() >= 1, cut.toString());
    }

    @Test
    void resetDuringAnUploadStoresNothing() {
        byte[] body = random(LARGE, 3);
        assertThrows(RuntimeException.class, () -> client.putObject(b -> b.bucket("reset-request").key("cut"),
                RequestBody.fromBytes(body)));
        assertTrue(resetRequest.faults() >= 1);
        assertStatus(404, null, () -> direct.headObject(b -> b.bucket("backend").key("cut")));
    }

    @Test
    void aSlowBackendStreamsWholeWhileOtherRequestsKeepTheirPace() throws Exception {
        CompletableFuture<HttpResponse<byte[]>> download = HTTP.sendAsync(request("slow", "large").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        long worst = 0;
        for (int i = 0; i < 20 && !download.isDone(); i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> other = get("direct", "small");
            worst = Math.max(worst, System.nanoTime() - start);
            assertEquals(200, other.statusCode());
            MultistoreServer.sleep(100);
        }
        HttpResponse<byte[]> response = download.get();
        assertEquals(200, response.statusCode());
        assertArrayEquals(large, response.body());
        assertTrue(worst < Duration.ofSeconds(2).toNanos(), "a fast request took " + worst / 1_000_000 + " ms");
    }

    @Test
    void slowDownIsRetriedWithBackoff() throws Exception {
        HttpResponse<byte[]> response = get("slowdown-once", "small");
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        assertArrayEquals(small, response.body());
        assertEquals(1, slowDownOnce.faults());
    }

    @Test
    void persistentSlowDownBecomes503AfterTheRetries() throws Exception {
        HttpResponse<byte[]> response = get("slowdown-always", "small");
        assertEquals(503, response.statusCode());
        String body = new String(response.body());
        assertTrue(body.contains("<Code>ServiceUnavailable</Code>") && body.contains("<RequestId>"), body);
        assertEquals(3, slowDownAlways.faults(), "three attempts, as the data plane's retry policy allows");
        assertTrue(server.log().contains("503"), server.log());
    }

    private static HttpResponse<byte[]> get(String bucket, String key) throws Exception {
        return HTTP.send(request(bucket, key).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Buckets are anonymous-readable: plain GETs, no client-side signing or retries. */
    private static HttpRequest.Builder request(String bucket, String key) {
        return HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + bucket + "/" + key))
                .timeout(Duration.ofSeconds(60));
    }

    private static FaultProxy proxy(FaultProxy proxy) {
        PROXIES.add(proxy);
        return proxy;
    }

    private static void bucket(StringBuilder config, String name, String endpoint) {
        config.append("""
                [[buckets]]
                name = "%s"
                backend_type = "s3"
                anonymous_access = true
                [buckets.backend_options]
                endpoint = "%s"
                region = "us-east-1"
                bucket_name = "backend"
                access_key_id = "%s"
                secret_access_key = "%s"
                """.formatted(name, endpoint, s3proxy.identity(), s3proxy.credential()));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
