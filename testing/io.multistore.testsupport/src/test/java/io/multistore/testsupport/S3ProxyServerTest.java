package io.multistore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ProxyServerTest {

    @Test
    void startsServesBucketsAndStops() throws Exception {
        S3ProxyServer server = S3ProxyServer.start();
        try (server) {
            assertTrue(server.endpoint().startsWith("http://127.0.0.1:"));
            String bucket = server.createBucket();
            // an unsigned request to an existing bucket is refused, not "no such bucket"
            assertEquals(403, status(server.endpoint() + "/" + bucket));
            server.deleteBucket(bucket);
            assertTrue(server.isAlive());
        }
        assertFalse(server.isAlive());
        assertThrows(Exception.class, () -> status(server.endpoint() + "/"));
    }

    @Test
    void filesystemStoreKeepsBucketsAsDirectories(@TempDir Path dir) {
        try (S3ProxyServer server = S3ProxyServer.builder().filesystem(dir).start()) {
            server.createBucket("fs-bucket");
            assertTrue(Files.isDirectory(dir.resolve("fs-bucket")));
        }
    }

    @Test
    void awaitReturnsOnceConditionHoldsAndFailsOtherwise() {
        AtomicInteger calls = new AtomicInteger();
        Await.waitFor(Duration.ofSeconds(10), () -> calls.incrementAndGet() >= 3);
        assertEquals(3, calls.get());
        assertThrows(AssertionError.class, () -> Await.waitFor(Duration.ofMillis(100), () -> false));
    }

    @Test
    void freePortIsBindable() throws Exception {
        int port = FreePort.find();
        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, socket.getLocalPort());
        }
    }

    private static int status(String url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(2000);
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }
}
