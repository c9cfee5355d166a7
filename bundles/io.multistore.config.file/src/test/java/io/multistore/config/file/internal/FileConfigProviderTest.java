package io.multistore.config.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.multistore.api.BucketConfig;
import io.multistore.api.config.ConfigStatus;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConfigProviderTest {

    @TempDir
    Path dir;

    private static String bucket(String name) {
        return """
                [[buckets]]
                name = "%s"
                backend_type = "fs"
                anonymous_access = true
                """.formatted(name);
    }

    private static final String CREDENTIAL = """
            [[credentials]]
            access_key_id = "AKIAEXAMPLEKEY00009"
            secret_access_key = "s"
            principal_name = "p"
            created_at = 2024-01-01T00:00:00Z
            """;

    private static final String ROLE = """
            [[roles]]
            role_id = "deploy"
            name = "Deploy"
            trusted_oidc_issuers = ["https://issuer.example"]
            """;

    private Path write(String name, String content) throws IOException {
        // write beside, then move: the watcher never sees a half-written file
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L; // a bound for a broken build, not a timing assertion
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("never happened: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static FileConfigProvider.Config config(String path, String stsPath, long interval) {
        return new FileConfigProvider.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FileConfigProvider.Config.class;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public String sts__path() {
                return stsPath;
            }

            @Override
            public long reload__interval__ms() {
                return interval;
            }
        };
    }

    @Test
    void servesTheFilesThroughTheProviderApi() throws Exception {
        Path main = write("config.toml", bucket("alpha") + bucket("beta") + CREDENTIAL);
        Path sts = write("sts.toml", ROLE);
        try (FileConfigProvider p = new FileConfigProvider(config(main.toString(), sts.toString(), 0))) {
            assertEquals(List.of("alpha", "beta"), p.buckets().stream().map(BucketConfig::name).toList());
            assertEquals("fs", p.bucket("beta").orElseThrow().backendType());
            assertTrue(p.bucket("gamma").isEmpty());
            assertTrue(p.bucket(null).isEmpty());
            assertEquals("Deploy", p.role("deploy").orElseThrow().name());
            assertTrue(p.role("nope").isEmpty());
            assertEquals("p", p.credential("AKIAEXAMPLEKEY00009").orElseThrow().principalName());
            assertTrue(p.credential("AKIAOTHER").isEmpty());
            assertFalse(p.watching(), "reload_interval_ms = 0 turns the watcher off");
        }
    }

    @Test
    void anInvalidFileFailsActivationWithFileAndLine() throws Exception {
        Path main = write("config.toml", bucket("alpha") + "backend_prefix = 7\n");
        ConfigFileException e = assertThrows(ConfigFileException.class,
                () -> new FileConfigProvider(config(main.toString(), "", 2000)));
        assertEquals("Invalid multistore configuration: " + main.toAbsolutePath()
                + ":5: bucket \"alpha\": backend_prefix must be a string, found an integer", e.getMessage());
    }

    @Test
    void aMissingFileFailsActivation() {
        Path missing = dir.resolve("nope.toml");
        ConfigFileException e = assertThrows(ConfigFileException.class,
                () -> new FileConfigProvider(missing, null, 0));
        assertEquals("Invalid multistore configuration: " + missing + ": file not found", e.getMessage());
    }

    @Test
    void aMissingStsFileFailsActivation() throws Exception {
        Path main = write("config.toml", bucket("alpha"));
        Path missing = dir.resolve("sts.toml");
        assertThrows(ConfigFileException.class,
                () -> new FileConfigProvider(config(main.toString(), missing.toString(), 0)));
    }

    @Test
    void aBlankPathOrNegativeIntervalIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new FileConfigProvider(config(" ", "", 0)));
        Path main = write("config.toml", bucket("alpha"));
        assertThrows(IllegalArgumentException.class, () -> new FileConfigProvider(main, null, -1));
    }

    @Test
    void picksUpChangesToEitherFile() throws Exception {
        Path main = write("config.toml", bucket("alpha"));
        Path sts = write("sts.toml", "");
        try (FileConfigProvider p = new FileConfigProvider(main, sts, 10)) {
            assertTrue(p.watching());
            write("config.toml", bucket("alpha") + bucket("beta"));
            waitFor(() -> p.bucket("beta").isPresent(), "bucket beta appears");

            write("sts.toml", ROLE);
            waitFor(() -> p.role("deploy").isPresent(), "role deploy appears");

            write("config.toml", bucket("beta"));
            waitFor(() -> p.bucket("alpha").isEmpty(), "bucket alpha disappears");
            assertTrue(p.bucket("beta").isPresent());
            assertTrue(p.role("deploy").isPresent());
        }
    }

    @Test
    void anInvalidChangeKeepsThePreviousSnapshot() throws Exception {
        Path main = write("config.toml", bucket("alpha"));
        try (FileConfigProvider p = new FileConfigProvider(main, null, 0)) {
            ConfigSnapshot before = p.snapshot();

            // broken TOML
            write("config.toml", bucket("alpha") + bucket("beta") + "name = \n");
            p.poll();
            assertSame(before, p.snapshot());

            // valid TOML, invalid configuration: nothing of it is applied, not even the valid bucket
            write("config.toml", bucket("beta") + bucket("alpha") + bucket("alpha"));
            p.poll();
            assertSame(before, p.snapshot());
            assertTrue(p.bucket("beta").isEmpty());

            // the file vanishes (an editor saving by rename)
            Files.delete(main);
            p.poll();
            assertSame(before, p.snapshot());

            // fixed: applied whole
            write("config.toml", bucket("beta") + bucket("alpha"));
            p.poll();
            assertEquals(List.of("beta", "alpha"), p.buckets().stream().map(BucketConfig::name).toList());
        }
    }

    @Test
    void statusTellsTheLastLoadAndTheLastFailure() throws Exception {
        Path main = write("config.toml", bucket("alpha"));
        try (FileConfigProvider p = new FileConfigProvider(main, null, 0)) {
            ConfigStatus loaded = p.status().orElseThrow();
            assertNotNull(loaded.loaded());
            assertEquals("buckets=1, roles=0, credentials=0", loaded.summary());
            assertNull(loaded.failed());
            assertNull(loaded.failure());

            write("config.toml", bucket("alpha") + bucket("alpha"));
            p.poll();
            ConfigStatus failed = p.status().orElseThrow();
            assertEquals(loaded.loaded(), failed.loaded(), "the configuration in force is still the first");
            assertNotNull(failed.failed());
            assertTrue(failed.failure().contains(main + ":") && failed.failure().contains("duplicate"),
                    failed.failure());

            write("config.toml", bucket("alpha") + bucket("beta"));
            p.poll();
            ConfigStatus reloaded = p.status().orElseThrow();
            assertEquals("buckets=2, roles=0, credentials=0", reloaded.summary());
            assertFalse(reloaded.loaded().isBefore(failed.failed()));
            assertEquals(failed.failure(), reloaded.failure(), "the last failure stays visible");
        }
    }

    @Test
    void anUnchangedFileIsNotParsedAgain() throws Exception {
        Path main = write("config.toml", bucket("alpha"));
        try (FileConfigProvider p = new FileConfigProvider(main, null, 0)) {
            ConfigSnapshot before = p.snapshot();
            write("config.toml", bucket("alpha")); // same bytes, new file and timestamp
            p.poll();
            assertSame(before, p.snapshot());
        }
    }

    @Test
    void theWatcherSurvivesAnInvalidChange() throws Exception {
        Path main = write("config.toml", bucket("alpha"));
        try (FileConfigProvider p = new FileConfigProvider(main, null, 10)) {
            write("config.toml", "[[buckets]\n");
            write("config.toml", "[[buckets]]\nname = 1\n");
            write("config.toml", bucket("gamma"));
            waitFor(() -> p.bucket("gamma").isPresent(), "bucket gamma appears after invalid versions");
            assertTrue(p.bucket("alpha").isEmpty());
        }
    }

    @Test
    void deactivationStopsTheWatcher() throws Exception {
        Path main = write("config.toml", bucket("alpha"));
        FileConfigProvider p = new FileConfigProvider(main, null, 10);
        assertTrue(p.watching());
        p.close();
        assertFalse(p.watching());
    }
}
