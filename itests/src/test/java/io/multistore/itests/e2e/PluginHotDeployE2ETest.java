package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.E2E.KEY;
import static io.multistore.itests.e2e.E2E.SECRET;
import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The plugin architecture as an operator sees it: a server started without the S3 backend names the missing
 * backend type, starts serving the bucket once the backend's bundles (the backend, the AWS SDK and the shared data
 * plane) are dropped into {@code deploy/}, and applies a configuration file dropped beside them — all without a
 * restart.
 */
class PluginHotDeployE2ETest {
    @TempDir
    Path temp;

    /**
     * The S3 backend and the bundles only it needs here: the shared AWS SDK and the data plane (which imports the
     * SDK, so without it in bundle/ it could never start there; it is hot-deployed with the others).
     */
    static boolean isS3Backend(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("io.multistore.backend.s3") || name.startsWith("io.multistore.lib.awssdk")
                || name.startsWith("io.multistore.lib.dataplane");
    }

    @Test
    void backendBundleAndConfigurationAreHotDeployed() throws Exception {
        try (S3ProxyServer s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start()) {
            s3proxy.createBucket("backend");
            Path config = temp.resolve("config.toml");
            Files.writeString(config, E2E.config(s3proxy));
            // without the S3 backend's bundles, and without the Azure and GCS backends, which need the same data plane
            Path home = MultistoreServer.copyDistribution(temp.resolve("server"),
                    p -> !(p.startsWith("bundle") && (isS3Backend(p) || AzureE2ETest.isAzureBackend(p)
                            || p.getFileName().toString().startsWith("io.multistore.backend.gcs"))));
            Path pristine = Path.of(System.getProperty("multistore.home", "../distribution/target/multistore-server"));
            List<Path> backendJars;
            try (Stream<Path> files = Files.list(pristine.resolve("bundle"))) {
                backendJars = files.filter(PluginHotDeployE2ETest::isS3Backend).toList();
            }
            assertEquals(3, backendJars.size(), backendJars::toString);

            try (MultistoreServer server = MultistoreServer.start(home, config, List.of("--domain", "s3.test"),
                    Map.of());
                    S3Client client = Clients.pathStyle(server.endpoint(), KEY, SECRET);
                    S3Client virtualHosted = Clients.virtualHosted("s3.test", server.port(), KEY, SECRET)) {
                server.await("503 while no S3 backend is installed", Duration.ofSeconds(60), () -> statusOf(client) == 503);
                S3Exception missing = org.junit.jupiter.api.Assertions.assertThrows(S3Exception.class,
                        () -> client.listObjectsV2(b -> b.bucket("data")));
                assertTrue(missing.awsErrorDetails().errorMessage().contains("'s3'"),
                        missing.awsErrorDetails().errorMessage());
                // readiness names the missing backend type, so a load balancer keeps the node out
                java.net.http.HttpResponse<String> notReady = readiness(server);
                assertEquals(503, notReady.statusCode(), notReady.body());
                assertTrue(notReady.body().contains("backend_type 's3' has no backend bound"), notReady.body());

                for (Path jar : backendJars) {
                    Files.copy(jar, server.deployDir().resolve(jar.getFileName()));
                }
                server.await("200 once the S3 backend is deployed", Duration.ofSeconds(60), () -> statusOf(client) == 200);
                server.await("ready once the S3 backend is deployed", Duration.ofSeconds(30),
                        () -> readiness(server).statusCode() == 200);
                client.putObject(b -> b.bucket("data").key("hot/one.txt"), RequestBody.fromString("0123456789"));

                // a configuration file dropped into deploy/ reaches the gateway through Config Admin, and the
                // command line's --domain survives it
                Path cfg = server.deployDir().resolve("io.multistore.core.gateway.cfg");
                Files.writeString(cfg, "max_object_size=4\n");
                server.await("EntityTooLarge under the deployed .cfg", Duration.ofSeconds(30), () -> putStatus(client) == 400);
                assertStatus(400, "EntityTooLarge", () -> client.putObject(b -> b.bucket("data").key("hot/two.txt"),
                        RequestBody.fromString("0123456789")));
                server.await("virtual-hosted requests to keep working", Duration.ofSeconds(30), () -> seesObject(virtualHosted));
                Files.delete(cfg);
                server.await("uploads again once the .cfg is removed", Duration.ofSeconds(30), () -> putStatus(client) == 200);
                server.await("virtual-hosted requests to keep working", Duration.ofSeconds(30), () -> seesObject(virtualHosted));
            }
        }
    }

    private static java.net.http.HttpResponse<String> readiness(MultistoreServer server) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                server.adminEndpoint().resolve("/health/ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a listing of bucket {@code data}: 200, the error's status, or -1 without an answer. */
    static int statusOf(S3Client client) {
        try {
            client.listObjectsV2(b -> b.bucket("data"));
            return 200;
        } catch (S3Exception e) {
            return e.statusCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Whether a virtual-hosted listing finds the object: only true while {@code --domain} is in effect. */
    private static boolean seesObject(S3Client client) {
        try {
            return client.listObjectsV2(b -> b.bucket("data").prefix("hot/")).contents().stream()
                    .anyMatch(o -> o.key().equals("hot/one.txt"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int putStatus(S3Client client) {
        try {
            client.putObject(b -> b.bucket("data").key("hot/probe.txt"), RequestBody.fromString("0123456789"));
            return 200;
        } catch (S3Exception e) {
            return e.statusCode();
        }
    }
}
