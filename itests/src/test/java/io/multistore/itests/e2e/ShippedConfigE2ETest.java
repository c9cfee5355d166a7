package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The README's run command is self-contained: the distribution on its shipped {@code config/config.toml} serves
 * S3 from local directories, with nothing else installed and no network.
 */
class ShippedConfigE2ETest {
    // the example credential of config/config.toml
    static final String EXAMPLE_KEY = "AKIAEXAMPLEKEY00001";
    static final String EXAMPLE_SECRET = "EXAMPLE-secret-key-CHANGE-ME-000000000000";

    @TempDir
    Path temp;

    @Test
    void shippedConfigServesLocalBuckets() throws Exception {
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        try (MultistoreServer server = MultistoreServer.start(home, Path.of("config/config.toml"), List.of(),
                Map.of());
                S3Client client = Clients.pathStyle(server.endpoint(), EXAMPLE_KEY, EXAMPLE_SECRET);
                S3Client anonymous = Clients.anonymous(server.endpoint())) {
            E2E.awaitReady(client, server, "private");
            client.putObject(b -> b.bucket("private").key("notes/hello.txt"), RequestBody.fromString("hello, fs"));
            assertEquals("hello, fs", client.getObjectAsBytes(b -> b.bucket("private").key("notes/hello.txt"))
                    .asUtf8String());
            assertEquals(List.of("notes/hello.txt"), client.listObjectsV2(b -> b.bucket("private"))
                    .contents().stream().map(S3Object::key).toList());

            assertEquals(List.of(), anonymous.listObjectsV2(b -> b.bucket("public")).contents());
            assertStatus(403, "AccessDenied", () -> anonymous.putObject(b -> b.bucket("public").key("x"),
                    RequestBody.fromString("x")));
            assertStatus(403, "AccessDenied", () -> anonymous.getObject(b -> b.bucket("private")
                    .key("notes/hello.txt")));
        }
    }
}
