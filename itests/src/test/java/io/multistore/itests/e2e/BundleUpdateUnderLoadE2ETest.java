package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero failed requests across bundle updates, as an operator does them: 16 connections of 4 KiB GETs on an
 * {@code fs} bucket while the filesystem backend, the S3 backend and the file config provider bundles in
 * {@code deploy/} are replaced several times. Requests that arrive while a plugin is away wait for its replacement
 * (the gateway's grace time); every response must be a 200 with the right body.
 */
class BundleUpdateUnderLoadE2ETest {
    static final int CONNECTIONS = 16;
    static final int ROUNDS = 3;

    @TempDir
    Path temp;

    static boolean deployed(Path relative) {
        String name = relative.getFileName().toString();
        return name.startsWith("io.multistore.backend.fs") || name.startsWith("io.multistore.config.file")
                || PluginHotDeployE2ETest.isS3Backend(relative);
    }

    @Test
    void updatingBackendAndProviderBundlesFailsNoRequest() throws Exception {
        Path root = temp.resolve("buckets/local");
        Path config = temp.resolve("config.toml");
        Files.writeString(config, E2E.fsConfig(root, true, "load", "\"get_object\", \"put_object\", \"list_bucket\""));
        // the three plugins (and the SDK and data plane bundles the S3 backend needs) live in deploy/, where FileInstall updates them
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"),
                p -> !(p.startsWith("bundle") && deployed(p)));
        Path pristine = Path.of(System.getProperty("multistore.home", "../distribution/target/multistore-server"));
        List<Path> jars;
        try (Stream<Path> files = Files.list(pristine.resolve("bundle"))) {
            jars = files.filter(p -> deployed(pristine.relativize(p))).toList();
        }
        assertEquals(5, jars.size(), jars::toString);
        for (Path jar : jars) {
            Files.copy(jar, home.resolve("deploy").resolve(jar.getFileName()));
        }

        try (MultistoreServer server = MultistoreServer.start(home, config, List.of(), Map.of());
                var client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            E2E.awaitReady(client, server, "local");
            Map<String, byte[]> objects = new LinkedHashMap<>();
            Random random = new Random(14);
            for (int i = 0; i < 32; i++) {
                byte[] body = new byte[4096];
                random.nextBytes(body);
                String key = "load/object-" + i;
                client.putObject(b -> b.bucket("local").key(key),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(body));
                objects.put(key, body);
            }

            List<String> updated = List.of("io.multistore.backend.fs", "io.multistore.backend.s3",
                    "io.multistore.config.file");
            long started = System.nanoTime();
            GetLoad load = new GetLoad(server.endpoint().resolve("/local/"), objects, CONNECTIONS);
            try {
                MultistoreServer.sleep(2000);
                for (int round = 0; round < ROUNDS; round++) {
                    for (String bundle : updated) {
                        Path jar = home.resolve("deploy").resolve(jars.stream()
                                .filter(j -> j.getFileName().toString().startsWith(bundle)).findFirst().orElseThrow()
                                .getFileName());
                        long before = load.ok();
                        // a new copy with a new modification time, moved in whole: FileInstall updates the installed
                        // bundle (the copy is made outside deploy/, or FileInstall might see it half-written)
                        Path next = temp.resolve(jar.getFileName() + ".next");
                        Files.copy(jar, next, StandardCopyOption.REPLACE_EXISTING);
                        Files.setLastModifiedTime(next, FileTime.from(Instant.now()));
                        Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        // the update happens within FileInstall's 1 s poll; give it time to finish under load
                        MultistoreServer.sleep(3500);
                        assertTrue(load.ok() > before, "requests stopped completing after updating " + bundle);
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                throw new AssertionError(e + "; server log:\n" + server.log(), e);
            } finally {
                load.close();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String summary = String.format("%d requests in %.1f s (%.0f req/s), %d failed, %d wrong bodies, "
                    + "%d bundle updates", load.ok() + load.failed(), seconds, (load.ok() + load.failed()) / seconds,
                    load.failed(), load.wrongBodies(), ROUNDS * updated.size());
            System.out.println("BundleUpdateUnderLoadE2ETest: " + summary);
            assertEquals(0, load.failed(), summary + "; first failures: " + load.firstFailures());
            assertEquals(0, load.wrongBodies(), summary);
            // the updates really happened: each bundle was unbound and bound again
            String log = server.log();
            assertTrue(count(log, "Backend unbound for backend_type 'fs'") >= ROUNDS, log);
            assertTrue(count(log, "Backend unbound for backend_type 's3'") >= ROUNDS, log);
            assertTrue(count(log, "Config provider unbound: file") >= ROUNDS, log);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
