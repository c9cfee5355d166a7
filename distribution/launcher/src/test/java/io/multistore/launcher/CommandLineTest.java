package io.multistore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    Path cwd;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(cwd.resolve("config.toml"), "");
        Files.writeString(cwd.resolve("sts.toml"), "");
    }

    private CommandLine parse(String... args) throws UsageException {
        return CommandLine.parse(List.of(args), cwd).orElseThrow();
    }

    @Test
    void defaultsMatchTheRustServer() throws UsageException {
        CommandLine cli = parse("--config", "config.toml");
        assertEquals(cwd.resolve("config.toml"), cli.configFile().orElseThrow());
        assertEquals(new ListenAddress("0.0.0.0", 8080), cli.listen());
        assertEquals(new ListenAddress("127.0.0.1", 8081), cli.adminListen());
        assertEquals(Optional.empty(), cli.domain());
        assertEquals(Optional.empty(), cli.stsConfig());
    }

    @Test
    void acceptsBothValueForms() throws UsageException {
        CommandLine cli = parse("--config=config.toml", "--listen", "127.0.0.1:9000", "--domain=s3.example.com",
                "--sts-config", "sts.toml", "--admin-listen=[::1]:9001");
        assertEquals(new ListenAddress("127.0.0.1", 9000), cli.listen());
        assertEquals(Optional.of("s3.example.com"), cli.domain());
        assertEquals(Optional.of(cwd.resolve("sts.toml")), cli.stsConfig());
        assertEquals(new ListenAddress("::1", 9001), cli.adminListen());
        assertEquals("[::1]:9001", cli.adminListen().authority());
    }

    @Test
    void relativePathsResolveAgainstTheCallersDirectory() throws UsageException, IOException {
        Files.createDirectories(cwd.resolve("sub"));
        Files.writeString(cwd.resolve("sub/c.toml"), "");
        assertEquals(cwd.resolve("sub/c.toml"), parse("--config", "./sub/../sub/c.toml").configFile().orElseThrow());
        assertTrue(parse("--config", "config.toml").configFile().orElseThrow().isAbsolute());
    }

    @Test
    void helpWinsOverEverything() throws UsageException {
        assertEquals(Optional.empty(), CommandLine.parse(List.of("--help"), cwd));
        assertEquals(Optional.empty(), CommandLine.parse(List.of("--listen", "x", "-h"), cwd));
    }

    @Test
    void usageListsEveryFlagAndVariable() {
        for (String word : List.of("--config", "--listen", "--domain", "--sts-config", "--admin-listen", "--help",
                "SESSION_TOKEN_KEY", "OIDC_PROVIDER_KEY", "OIDC_PROVIDER_ISSUER", "RUST_LOG", "MULTISTORE_LOG_LEVEL",
                "MULTISTORE_ADMIN_USER", "MULTISTORE_ADMIN_PASSWORD", "MULTISTORE_DATA_DIR", "MULTISTORE_CACHE_DIR",
                "JAVA_OPTS")) {
            assertTrue(CommandLine.USAGE.contains(word), word);
        }
    }

    @Test
    void configIsRequiredAndMustBeReadable() {
        assertEquals("the option '--config PATH' is required",
                assertThrows(UsageException.class, () -> parse("--listen", ":8080")).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> parse("--config", "missing.toml")).getMessage()
                .contains("cannot read file"));
        assertThrows(UsageException.class, () -> parse("--config", "."));
        assertThrows(UsageException.class, () -> parse("--config", "config.toml", "--sts-config", "nope.toml"));
    }

    @Test
    void rejectsUnknownMissingRepeatedAndStrayArguments() {
        assertTrue(assertThrows(UsageException.class, () -> parse("--config", "config.toml", "--port", "1"))
                .getMessage().contains("unknown option '--port'"));
        assertThrows(UsageException.class, () -> parse("--config"));
        assertThrows(UsageException.class, () -> parse("--config", "--listen", ":1"));
        assertThrows(UsageException.class, () -> parse("--config="));
        assertThrows(UsageException.class, () -> parse("--config", "config.toml", "--config", "config.toml"));
        assertThrows(UsageException.class, () -> parse("--config", "config.toml", "extra"));
        assertTrue(assertThrows(UsageException.class, () -> parse("--config", "config.toml", "--listen", "8080"))
                .showUsage());
    }

    @Test
    void listenAddressForms() {
        assertEquals(new ListenAddress("0.0.0.0", 8080), ListenAddress.parse(":8080"));
        assertEquals(new ListenAddress("::1", 8080), ListenAddress.parse("[::1]:8080"));
        assertEquals(new ListenAddress("localhost", 1), ListenAddress.parse("localhost:1"));
        assertEquals("0.0.0.0:8080", ListenAddress.parse("0.0.0.0:8080").authority());
        for (String bad : List.of("8080", "::1:8080", "[]:80", "host:", "host:0", "host:65536", "host:http")) {
            assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
        }
    }

    @Test
    void configUrlsNameTheStore() throws UsageException {
        ConfigSource.Network http = (ConfigSource.Network) parse("--config", "https://cp.example.com/v1/").source();
        assertEquals("http", http.source());
        assertEquals(Map.of("base_url", "https://cp.example.com/v1/"), http.properties());

        ConfigSource.Network dynamo = (ConfigSource.Network) parse("--config",
                "dynamodb://ms-config?region=eu-west-1&endpoint=http%3A%2F%2F127.0.0.1%3A8000").source();
        assertEquals(Map.of("table", "ms-config", "region", "eu-west-1", "endpoint", "http://127.0.0.1:8000"),
                dynamo.properties());
        assertEquals(60, parse("--config", "dynamodb://t").configCacheTtl());
        assertEquals(0, parse("--config", "dynamodb://t", "--config-cache-ttl=0").configCacheTtl());
    }

    @Test
    void secretsNeverComeFromTheCommandLine() {
        for (String url : List.of("postgresql://ms:hunter2@db/config", "postgresql://ms@db/config?password=hunter2",
                "https://user:pw@cp.example.com/")) {
            UsageException e = assertThrows(UsageException.class, () -> parse("--config", url));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
        assertThrows(UsageException.class, () -> parse("--config", "dynamodb://t?colour=blue"));
        assertThrows(UsageException.class, () -> parse("--config", "dynamodb://t", "--config-cache-ttl", "-1"));
        assertThrows(UsageException.class, () -> parse("--config", "https://cp/", "--sts-config", "config.toml"));
    }
}
