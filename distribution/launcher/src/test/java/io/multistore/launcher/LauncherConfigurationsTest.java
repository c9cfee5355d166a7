package io.multistore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class LauncherConfigurationsTest {

    private static Map<String, LauncherConfigurations.Entry> byPid(CommandLine cli) {
        return LauncherConfigurations.from(cli, new AdminCredentials("ops", "{sha-256}x")).stream()
                .collect(Collectors.toMap(LauncherConfigurations.Entry::fullPid, Function.identity()));
    }

    @Test
    void mapsEveryOption() {
        Map<String, LauncherConfigurations.Entry> entries = byPid(new CommandLine(Path.of("/etc/c.toml"),
                new ListenAddress("0.0.0.0", 9000), Optional.of("s3.example.com"), Optional.of(Path.of("/etc/s.toml")),
                new ListenAddress("::1", 9001)));
        assertEquals(Map.of("path", "/etc/c.toml", "sts_path", "/etc/s.toml", LauncherConfigurations.WRITTEN_BY, true),
                entries.get("io.multistore.config.file").properties());
        assertEquals(Map.of("domain", "s3.example.com"), entries.get("io.multistore.core.gateway.cli").properties());

        Map<String, Object> s3 = entries.get("org.apache.felix.http").properties();
        assertEquals("s3", s3.get("org.apache.felix.http.name"));
        assertEquals("0.0.0.0", s3.get("org.apache.felix.http.host"));
        assertEquals(9000, s3.get("org.osgi.service.http.port"));
        Map<String, Object> admin = entries.get("org.apache.felix.http~admin").properties();
        assertEquals("admin", admin.get("org.apache.felix.http.name"));
        assertEquals("::1", admin.get("org.apache.felix.http.host"));
        assertEquals(9001, admin.get("org.osgi.service.http.port"));

        assertEquals(Map.of("osgi.http.whiteboard.target", "(org.apache.felix.http.name=s3)"),
                entries.get("io.multistore.http").properties());
        Map<String, Object> console =
                entries.get("org.apache.felix.webconsole.internal.servlet.OsgiManager").properties();
        assertEquals("(org.apache.felix.http.name=admin)", console.get("http.service.filter"));
        assertEquals("ops", console.get("username"));
        assertEquals("{sha-256}x", console.get("password"));
    }

    @Test
    void optionsNotGivenAreRemoved() {
        Map<String, LauncherConfigurations.Entry> entries = byPid(new CommandLine(Path.of("/c.toml"),
                CommandLine.DEFAULT_LISTEN, Optional.empty(), Optional.empty(), CommandLine.DEFAULT_ADMIN_LISTEN));
        assertFalse(entries.get("io.multistore.config.file").properties().containsKey("sts_path"));
        assertEquals(List.of("sts_path"), entries.get("io.multistore.config.file").removed());
        assertEquals(Map.of(), entries.get("io.multistore.core.gateway.cli").properties());
        assertEquals(List.of("configProvider.target", "domain"),
                entries.get("io.multistore.core.gateway.cli").removed());
        // a source the launcher configured on an earlier start is deleted
        assertTrue(entries.get("io.multistore.config.cache").delete());
        assertTrue(entries.get("io.multistore.config.postgres").delete());
    }

    @Test
    void aConfigStoreUrlConfiguresItsProviderAndTheCacheTheGatewayBinds() throws UsageException {
        CommandLine cli = CommandLine.parse(List.of("--config", "postgresql://ms@db.internal:5433/config?sslmode=require",
                "--config-cache-ttl", "15"), Path.of("/")).orElseThrow();
        Map<String, LauncherConfigurations.Entry> entries = byPid(cli);
        assertEquals(Map.of("url", "jdbc:postgresql://db.internal:5433/config?sslmode=require", "user", "ms",
                "password_file", "", LauncherConfigurations.WRITTEN_BY, true),
                entries.get("io.multistore.config.postgres").properties());
        assertEquals(Map.of("upstream.target", "(multistore.config.source=postgres)", "ttl_seconds", 15L,
                LauncherConfigurations.WRITTEN_BY, true), entries.get("io.multistore.config.cache").properties());
        assertEquals("(multistore.config.source=cache)",
                entries.get("io.multistore.core.gateway.cli").properties().get("configProvider.target"));
        assertTrue(entries.get("io.multistore.config.file").delete());
        assertTrue(entries.get("io.multistore.config.http").delete());
        assertTrue(entries.get("io.multistore.config.dynamodb").delete());
    }

    @Test
    void stsKeysArePlaceholdersNeverTheSecret() {
        CommandLine cli = new CommandLine(Path.of("/etc/c.toml"), new ListenAddress("0.0.0.0", 9000),
                Optional.empty(), Optional.empty(), new ListenAddress("127.0.0.1", 9001));
        String secret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        LauncherConfigurations.Entry sts = LauncherConfigurations.from(cli, new AdminCredentials("ops", "{x}"),
                Map.of("SESSION_TOKEN_KEY", secret)).stream()
                .filter(e -> e.pid().equals("io.multistore.auth.sts.cli")).findFirst().orElseThrow();
        assertEquals(Map.of("session_token_key", "$[prop:SESSION_TOKEN_KEY]"), sts.properties());
        assertEquals(List.of("session_token_key_previous"), sts.removed());
        assertFalse(sts.toString().contains(secret));
        assertEquals(List.of("session_token_key", "session_token_key_previous"),
                byPid(cli).get("io.multistore.auth.sts.cli").removed());
    }

    @Test
    void oidcProviderKeyAndIssuerArePlaceholdersNeverTheKey() {
        CommandLine cli = new CommandLine(Path.of("/etc/c.toml"), new ListenAddress("0.0.0.0", 9000),
                Optional.empty(), Optional.empty(), new ListenAddress("127.0.0.1", 9001));
        String pem = "-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----\n";
        LauncherConfigurations.Entry oidc = LauncherConfigurations.from(cli, new AdminCredentials("ops", "{x}"),
                Map.of("OIDC_PROVIDER_KEY", pem, "OIDC_PROVIDER_ISSUER", "https://proxy.example.com")).stream()
                .filter(e -> e.pid().equals("io.multistore.auth.oidc.cli")).findFirst().orElseThrow();
        assertEquals(Map.of("provider_key", "$[prop:OIDC_PROVIDER_KEY]", "issuer", "$[prop:OIDC_PROVIDER_ISSUER]"),
                oidc.properties());
        assertEquals(List.of("provider_key_previous"), oidc.removed());
        assertFalse(oidc.toString().contains("MIIsecret"));
        assertEquals(List.of("provider_key", "provider_key_previous", "issuer"),
                byPid(cli).get("io.multistore.auth.oidc.cli").removed());
    }
}
