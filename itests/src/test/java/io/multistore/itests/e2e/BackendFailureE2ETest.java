package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A backend that dies: a download in flight is cut off (the client sees a failure, never a short object passed
 * off as complete), and later requests get 503 ServiceUnavailable with the cause in the server's log.
 */
class BackendFailureE2ETest {
    @TempDir
    Path temp;

    @Test
    void backendDyingMidStreamAbortsTheDownloadAndThenAnswers503() throws Exception {
        S3ProxyServer s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        try {
            s3proxy.createBucket("backend");
            Path config = temp.resolve("config.toml");
            Files.writeString(config, E2E.config(s3proxy));
            Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
            try (MultistoreServer server = MultistoreServer.start(home, config, List.of(), Map.of());
                    S3Client client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
                E2E.awaitReady(client, server, "data");
                long size = 256L << 20;
                client.putObject(b -> b.bucket("data").key("doomed.bin"), RequestBody.fromContentProvider(
                        () -> new PatternStream(size, 3), size, "application/octet-stream"));

                InputStream download = client.getObject(b -> b.bucket("data").key("doomed.bin"));
                byte[] buffer = new byte[1 << 16];
                long read = 0;
                while (read < (1 << 20)) {
                    read += download.read(buffer);
                }
                s3proxy.close();
                long total = read;
                IOException cut = assertThrows(IOException.class, () -> {
                    long n = total;
                    for (int r; (r = download.read(buffer)) > 0;) {
                        n += r;
                    }
                    // a clean end before the last byte would be a silent truncation
                    throw new AssertionError("the download ended normally after " + n + " of " + size + " bytes");
                });
                download.close();
                assertTrue(cut.getMessage() != null || cut.getCause() != null, cut.toString());

                // HEAD errors carry no body, as in S3: the status says it
                assertStatus(503, null, () -> client.headObject(b -> b.bucket("data").key("doomed.bin")));
                assertStatus(503, "ServiceUnavailable", () -> client.putObject(b -> b.bucket("data").key("x"),
                        RequestBody.fromString("x")));
                String log = server.log();
                assertTrue(log.contains("doomed.bin") && log.contains("aborting the response"), log);
            }
        } finally {
            s3proxy.close();
        }
    }
}
