package io.multistore.config.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.StoredCredential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The example files in the repository's {@code config/} (what the README's run command uses) always parse, and so
 * do their commented-out examples.
 */
class ShippedConfigTest {

    /** Surefire runs in the module directory. */
    private static final Path CONFIG_DIR = Path.of("../../config").toAbsolutePath().normalize();

    private static final Set<Action> READ = EnumSet.of(Action.GET_OBJECT, Action.HEAD_OBJECT, Action.LIST_BUCKET);

    private static ConfigParser.Source source(String file) throws IOException {
        Path path = CONFIG_DIR.resolve(file);
        return new ConfigParser.Source(path.toString(), Files.readString(path));
    }

    /** Examples are written as {@code #key = value} (no space after the hash); prose comments have one. */
    private static ConfigParser.Source uncommented(ConfigParser.Source s) {
        String text = s.text().lines().map(l -> l.matches("#[^ #].*") ? l.substring(1) : l)
                .collect(Collectors.joining("\n", "", "\n"));
        return new ConfigParser.Source(s.name(), text);
    }

    @Test
    void configTomlWorksOutOfTheBoxOnTheLocalFilesystem() throws IOException {
        ConfigSnapshot s = ConfigParser.parse(source("config.toml"), null);

        assertEquals(List.of("public", "private"), List.copyOf(s.buckets().keySet()));
        for (BucketConfig b : s.buckets().values()) {
            assertEquals("fs", b.backendType(), b.name() + " needs no network");
            assertEquals(Map.of("root", "./data/" + b.name()), b.backendOptions());
        }
        assertTrue(s.buckets().get("public").anonymousAccess());
        assertFalse(s.buckets().get("private").anonymousAccess());

        StoredCredential key = s.credentials().get("AKIAEXAMPLEKEY00001");
        assertTrue(key.usableAt(Instant.now()));
        assertTrue(key.secretAccessKey().contains("EXAMPLE"));
        assertEquals(2, key.allowedScopes().size());
        AccessScope priv = key.allowedScopes().get(0);
        assertEquals("private", priv.bucket());
        assertEquals(EnumSet.complementOf(EnumSet.of(Action.CREATE_BUCKET, Action.DELETE_BUCKET)), priv.actions());
        AccessScope pub = key.allowedScopes().get(1);
        assertEquals("public", pub.bucket());
        assertEquals(READ, pub.actions());

        assertEquals(List.of(), s.warnings(), "the default configuration starts without warnings");
    }

    @Test
    void stsTomlMergesIntoConfigToml() throws IOException {
        ConfigSnapshot s = ConfigParser.parse(source("config.toml"), source("sts.toml"));

        assertEquals(List.of("github-actions"), List.copyOf(s.roles().keySet()));
        var role = s.roles().get("github-actions");
        assertEquals(List.of("https://token.actions.githubusercontent.com"), role.trustedOidcIssuers());
        assertEquals(1, role.allowedScopes().size());
        assertEquals("private", role.allowedScopes().get(0).bucket());
        assertEquals(List.of("ci/"), role.allowedScopes().get(0).prefixes());

        assertEquals(List.of("AKIAEXAMPLEKEY00001", "AKIAEXAMPLEKEY00002"), List.copyOf(s.credentials().keySet()));
        assertTrue(s.credentials().get("AKIAEXAMPLEKEY00002").allowedScopes().stream()
                .allMatch(scope -> READ.equals(scope.actions())));
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void commentedExamplesAreCompleteAndCorrect() throws IOException {
        ConfigSnapshot s = ConfigParser.parse(uncommented(source("config.toml")), uncommented(source("sts.toml")));

        assertEquals(List.of("public", "private", "s3-data", "sentinel-cogs", "azure-data"),
                List.copyOf(s.buckets().keySet()));
        assertEquals(List.of("github-actions"), s.buckets().get("private").allowedRoles());

        BucketConfig s3 = s.buckets().get("s3-data");
        assertEquals("s3", s3.backendType());
        assertEquals("team-a/", s3.backendPrefix());
        assertEquals(Set.of("endpoint", "region", "bucket_name", "access_key_id", "secret_access_key"),
                s3.backendOptions().keySet());

        BucketConfig open = s.buckets().get("sentinel-cogs");
        assertTrue(open.anonymousAccess());
        assertEquals("true", open.backendOptions().get("skip_signature"));
        assertEquals(Set.of("endpoint", "region", "bucket_name", "skip_signature"), open.backendOptions().keySet());

        BucketConfig az = s.buckets().get("azure-data");
        assertEquals("az", az.backendType());
        assertEquals(Set.of("account_name", "container_name", "access_key"), az.backendOptions().keySet());

        assertTrue(s.credentials().get("AKIAEXAMPLEKEY00001").expiresAt() != null);
        assertEquals(List.of(), s.warnings());
    }
}
