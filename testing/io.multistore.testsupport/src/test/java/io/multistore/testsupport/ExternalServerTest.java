package io.multistore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExternalServerTest {

    /** A real HTTP server in a child process: Python's, which every build machine has. */
    static ExternalServer webServer() {
        return ExternalServer.builder("http-server")
                .command(port -> List.of("python3", "-u", "-m", "http.server", "--bind", "127.0.0.1",
                        Integer.toString(port)))
                .ready(port -> ExternalServer.answersHttp(port, "/"))
                .start();
    }

    @RegisterExtension
    static final ServerExtension<S3ProxyServer> S3 = ServerExtension.of(S3ProxyServer::start);

    @Test
    void theExtensionHoldsOneServerForTheClass() {
        assertTrue(S3.get().isAlive());
        assertTrue(S3.get().createBucket().startsWith("test-"));
    }

    @Test
    void startsAwaitsLogsAndStopsTheProcessTree() throws Exception {
        ExternalServer server = webServer();
        Path dir = server.workDir();
        try (server) {
            assertTrue(ExternalServer.answersHttp(server.port(), "/"));
            Await.untilAsserted(Duration.ofSeconds(10),
                    () -> assertTrue(server.log().contains("Serving"), server.log()));
        }
        assertFalse(server.isAlive());
        assertFalse(ExternalServer.acceptsConnections(server.port()));
        assertFalse(Files.exists(dir), "its temporary working directory is removed");
    }

    @Test
    void aServerThatNeverComesUpFailsWithItsOutput() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExternalServer.builder("broken")
                .command(port -> List.of("sh", "-c", "echo cannot bind; exit 3"))
                .attempts(2)
                .start());
        assertTrue(e.getMessage().contains("broken did not come up"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot bind"), e.getMessage());
    }

}
