package io.multistore.config.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.config.ConfigChangeListener;
import io.multistore.api.config.ConfigChangeListener.Kind;
import io.multistore.api.config.ConfigProvider;
import io.multistore.config.conformance.ConfigProviderConformance;
import io.multistore.testsupport.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL provider against a real PostgreSQL with the shipped schema (config/postgres-schema.sql). */
class PostgresProviderConformanceTest extends ConfigProviderConformance {

    @TempDir
    static Path dir;
    static PostgresServer postgres;

    private PostgresConfigProvider provider;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start(dir.resolve("pg"));
        postgres.execute(Files.readString(Path.of(System.getProperty("multistore.postgres.schema"))));
        // the schema runs again on an existing database without harm
        postgres.execute(Files.readString(Path.of(System.getProperty("multistore.postgres.schema"))));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Override
    protected void put(Kind kind, String id, String json) throws Exception {
        postgres.update(PostgresTables.upsert(kind.name().toLowerCase(Locale.ROOT)), id, json);
    }

    @Override
    protected void delete(Kind kind, String id) throws Exception {
        postgres.update(PostgresTables.delete(kind.name().toLowerCase(Locale.ROOT)), id);
    }

    @Override
    protected ConfigProvider start() {
        provider = new PostgresConfigProvider(postgres.jdbcUrl(), "postgres", "", 2, 2, "multistore_config");
        return provider;
    }

    @Override
    protected void stop() throws Exception {
        provider.close();
        postgres.execute("TRUNCATE proxy_buckets, proxy_roles, proxy_credentials");
    }

    @Override
    protected boolean storesTextThatIsNotJson() {
        return false; // JSONB refuses it
    }

    @Override
    protected boolean takeStoreDown() throws Exception {
        postgres.stop();
        return true;
    }

    @Override
    protected void bringStoreBack() throws Exception {
        postgres.restart();
    }

    @Test
    void changesAreAnnouncedAtOnceAndAgainAfterTheDatabaseComesBack() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        ConfigChangeListener listener = (kind, id) -> seen.add(kind + ":" + id);
        provider.addChangeListener(listener);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!provider.listening() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        put(Kind.BUCKET, "beta", BETA.replace("true", "false"));
        assertEquals("BUCKET:beta", seen.poll(5, TimeUnit.SECONDS));
        put(Kind.ROLE, "ci2", ROLE_CI.replace("\"ci\"", "\"ci2\""));
        assertEquals("ROLE:ci2", seen.poll(5, TimeUnit.SECONDS));
        delete(Kind.CREDENTIAL, "AKIDCONFORMANCE00001");
        assertEquals("CREDENTIAL:AKIDCONFORMANCE00001", seen.poll(5, TimeUnit.SECONDS));

        postgres.stop();
        postgres.restart();
        // notifications sent while it was down are lost: after reconnecting, everything is announced as changed
        List<String> expected = List.of("BUCKET:null", "ROLE:null", "CREDENTIAL:null");
        for (String e : expected) {
            assertEquals(e, seen.poll(30, TimeUnit.SECONDS));
        }
        provider.removeChangeListener(listener);
        put(Kind.BUCKET, "alpha", ALPHA);
        assertTrue(seen.poll(1, TimeUnit.SECONDS) == null, "a removed listener hears nothing");
    }
}
