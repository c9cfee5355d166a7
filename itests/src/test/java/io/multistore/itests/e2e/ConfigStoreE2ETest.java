package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.config.dynamodb.internal.DynamoDbTable;
import io.multistore.config.postgres.internal.PostgresTables;
import io.multistore.testsupport.ControlPlaneServer;
import io.multistore.testsupport.DynaliteServer;
import io.multistore.testsupport.PostgresServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The distribution with {@code --config URL}: each config store started by the harness (an HTTP control plane,
 * PostgreSQL, dynalite) serves buckets and a credential; a change in the store shows within the cache TTL (at once
 * with PostgreSQL's NOTIFY); with the store down, cached buckets keep serving and uncached ones answer 503; once it
 * is back they all serve. And the store is switched at runtime under a running download.
 */
class ConfigStoreE2ETest {

    private static final String DYNAMO_KEY = "AKIDDYNALITE";
    private static final String DYNAMO_SECRET = "dynalite-secret";

    @TempDir
    Path temp;

    /** A store as the test drives it. */
    interface Store extends AutoCloseable {
        String url();

        Map<String, String> env();

        /** kind: bucket, role or credential. */
        void put(String kind, String id, String json) throws Exception;

        void down() throws Exception;

        void up() throws Exception;
    }

    private String bucket(String name, boolean anonymous) {
        return """
                {"name": "%s", "backend_type": "fs", "anonymous_access": %s,
                 "backend_options": {"root": "%s"}}""".formatted(name, anonymous,
                temp.resolve("buckets").resolve(name).toString().replace("\\", "\\\\"));
    }

    private static String credential() {
        return """
                {"access_key_id": "%s", "secret_access_key": "%s", "principal_name": "store-e2e",
                 "created_at": "2026-01-01T00:00:00Z",
                 "allowed_scopes": [{"bucket": "*", "actions": ["get_object", "head_object", "put_object",
                   "delete_object", "list_bucket"]}]}""".formatted(E2E.KEY, E2E.SECRET);
    }

    private void seed(Store store) throws Exception {
        store.put("bucket", "data", bucket("data", false));
        store.put("bucket", "spare", bucket("spare", false));
        store.put("credential", E2E.KEY, credential());
    }

    /**
     * @param ttl           --config-cache-ttl
     * @param changeWithin  how soon a change must show
     */
    private void changesAndOutages(Store store, int ttl, Duration changeWithin) throws Exception {
        seed(store);
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        try (MultistoreServer server = MultistoreServer.start(home, store.url(),
                List.of("--config-cache-ttl", Integer.toString(ttl)), store.env());
                S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
                S3Client anonymous = Clients.anonymous(server.endpoint())) {
            E2E.awaitReady(client, server, "data");
            client.putObject(b -> b.bucket("data").key("hello.txt"), RequestBody.fromString("hello"));
            assertStatus(403, "AccessDenied", () -> anonymous.getObjectAsBytes(b -> b.bucket("data").key("hello.txt")));

            // a change in the store
            store.put("bucket", "data", bucket("data", true));
            long start = System.nanoTime();
            awaitTrue(changeWithin.plusSeconds(3), () -> "hello".equals(
                    anonymous.getObjectAsBytes(b -> b.bucket("data").key("hello.txt")).asUtf8String()));
            Duration seen = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(seen.compareTo(changeWithin.plusSeconds(1)) <= 0, "change seen after " + seen);

            // the store goes down: what is cached keeps serving (also past the TTL), the rest is 503
            store.down();
            MultistoreServer.sleep(ttl * 1000L + 500);
            assertEquals("hello", client.getObjectAsBytes(b -> b.bucket("data").key("hello.txt")).asUtf8String());
            assertStatus(503, "ServiceUnavailable", () -> client.listObjectsV2(b -> b.bucket("spare")));
            assertTrue(server.log().contains("Config store failed"), server.log());

            // back again
            store.up();
            awaitTrue(Duration.ofSeconds(30), () -> client.listObjectsV2(b -> b.bucket("spare")).contents().isEmpty());
            assertStatus(404, "NoSuchBucket", () -> client.listObjectsV2(b -> b.bucket("never-defined")));

            // the cache's counters on /metrics: the outage shows as upstream errors and stale answers
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    server.adminEndpoint().resolve("/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String counter : List.of("hits_total", "misses_total", "upstream_calls_total",
                    "upstream_errors_total", "stale_served_total", "entries")) {
                assertTrue(metrics.matches("(?s).*\nmultistore_config_cache_" + counter + " [1-9][0-9.E]*\n.*"),
                        counter + " in\n" + metrics);
            }
        } finally {
            store.close();
        }
    }

    @Test
    void httpControlPlane() throws Exception {
        changesAndOutages(controlPlane(), 2, Duration.ofSeconds(2));
    }

    @Test
    void postgresAnnouncesChangesAtOnce() throws Exception {
        // a TTL of a minute: the change can only show in time through LISTEN/NOTIFY
        changesAndOutages(postgres(), 60, Duration.ofSeconds(1));
    }

    @Test
    void dynamoDbTable() throws Exception {
        changesAndOutages(dynamo(), 2, Duration.ofSeconds(2));
    }

    @Test
    void switchingTheStoreAtRuntimeFailsNoRequestInFlight() throws Exception {
        try (Store http = controlPlane(); Store pg = postgres()) {
            seed(http);
            seed(pg);
            pg.put("bucket", "only-in-postgres", bucket("only-in-postgres", false));
            Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
            try (MultistoreServer server = MultistoreServer.start(home, http.url(), List.of(), http.env());
                    S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
                E2E.awaitReady(client, server, "data");
                long size = 64L << 20;
                PatternStream source = new PatternStream(size, 42);
                client.putObject(b -> b.bucket("data").key("big.bin"), RequestBody.fromContentProvider(() -> source,
                        size, "application/octet-stream"));
                assertStatus(404, "NoSuchBucket", () -> client.listObjectsV2(b -> b.bucket("only-in-postgres")));

                // requests keep running while the store is switched
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger ok = new AtomicInteger();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread load = new Thread(() -> {
                    while (running.get()) {
                        try {
                            client.headObject(b -> b.bucket("data").key("big.bin"));
                            ok.incrementAndGet();
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                });
                load.start();
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long received = 0;
                try (InputStream in = client.getObject(b -> b.bucket("data").key("big.bin"))) {
                    byte[] buffer = new byte[1 << 16];
                    while (received < (4 << 20)) {
                        int n = in.read(buffer);
                        digest.update(buffer, 0, n);
                        received += n;
                    }
                    // the operator configures PostgreSQL and points the cache at it
                    Files.writeString(server.deployDir().resolve("io.multistore.config.postgres.cfg"),
                            "url=" + ((PgStore) pg).server.jdbcUrl() + "\nuser=postgres\n");
                    Files.writeString(server.deployDir().resolve("io.multistore.config.cache.cfg"),
                            "upstream.target=(multistore.config.source=postgres)\nttl_seconds=60\n");
                    awaitTrue(Duration.ofSeconds(30), () -> client.listObjectsV2(b -> b.bucket("only-in-postgres"))
                            .contents().isEmpty());
                    for (int n; (n = in.read(buffer)) > 0; received += n) {
                        digest.update(buffer, 0, n);
                    }
                } finally {
                    running.set(false);
                    load.join();
                }
                assertEquals(size, received);
                assertArrayEquals(source.sha256(), digest.digest());
                assertEquals(null, failure.get(), "a request failed during the switch after " + ok.get() + " ok");
                assertTrue(ok.get() > 0);
            }
        }
    }

    // ---- the stores ----

    private Store controlPlane() throws Exception {
        ControlPlaneServer cp = ControlPlaneServer.start("e2e-token");
        return new Store() {
            @Override
            public String url() {
                return cp.endpoint() + "/";
            }

            @Override
            public Map<String, String> env() {
                return Map.of("MULTISTORE_CONFIG_AUTHORIZATION", "Bearer e2e-token");
            }

            @Override
            public void put(String kind, String id, String json) {
                cp.put(kind + "s", id, json);
            }

            @Override
            public void down() {
                cp.stop();
            }

            @Override
            public void up() throws Exception {
                cp.restart();
            }

            @Override
            public void close() {
                cp.close();
            }
        };
    }

    /** PostgreSQL with the shipped schema. */
    private final class PgStore implements Store {
        final PostgresServer server;

        PgStore() throws Exception {
            server = PostgresServer.start(temp.resolve("pg"));
            server.execute(Files.readString(Path.of(System.getProperty("multistore.home"),
                    "config/postgres-schema.sql")));
        }

        @Override
        public String url() {
            return "postgresql://postgres@127.0.0.1:" + server.port() + "/postgres";
        }

        @Override
        public Map<String, String> env() {
            return Map.of();
        }

        @Override
        public void put(String kind, String id, String json) throws Exception {
            server.update(PostgresTables.upsert(kind), id, json);
        }

        @Override
        public void down() throws Exception {
            server.stop();
        }

        @Override
        public void up() throws Exception {
            server.restart();
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    private Store postgres() throws Exception {
        return new PgStore();
    }

    private Store dynamo() throws Exception {
        DynaliteServer dynalite = DynaliteServer.start(temp.resolve("dynalite"));
        DynamoDbClient admin = DynamoDbClient.builder().endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(DYNAMO_KEY,
                        DYNAMO_SECRET)))
                .httpClient(ApacheHttpClient.create()).build();
        DynamoDbTable.createIfMissing(admin, "multistore-config", "SK-PK-index");
        return new Store() {
            @Override
            public String url() {
                return "dynamodb://multistore-config?region=us-east-1&endpoint=" + dynalite.endpoint();
            }

            @Override
            public Map<String, String> env() {
                return Map.of("AWS_ACCESS_KEY_ID", DYNAMO_KEY, "AWS_SECRET_ACCESS_KEY", DYNAMO_SECRET);
            }

            @Override
            public void put(String kind, String id, String json) {
                DynamoDbTable.put(admin, "multistore-config", kind, id, json);
            }

            @Override
            public void down() {
                dynalite.stop();
            }

            @Override
            public void up() throws Exception {
                dynalite.restart();
            }

            @Override
            public void close() {
                admin.close();
                dynalite.close();
            }
        };
    }

    private static void awaitTrue(Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> errors = new ArrayList<>();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                if (errors.size() < 3) {
                    errors.add(e.toString());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + "; first errors: " + errors);
            }
            MultistoreServer.sleep(100);
        }
    }
}
