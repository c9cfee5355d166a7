package io.multistore.config.dynamodb.internal;

import io.multistore.api.config.ConfigChangeListener.Kind;
import io.multistore.api.config.ConfigProvider;
import io.multistore.config.conformance.ConfigProviderConformance;
import io.multistore.testsupport.DynaliteServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB provider against dynalite, the table created as the import command creates it. */
class DynamoDbProviderConformanceTest extends ConfigProviderConformance {

    static final StaticCredentialsProvider KEYS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDDYNALITE", "dynalite-secret"));

    @TempDir
    static Path dir;
    static DynaliteServer dynalite;
    static DynamoDbClient admin;
    private static int tables;

    private String table;
    private DynamoDbConfigProvider provider;

    @BeforeAll
    static void startDynalite() throws Exception {
        dynalite = DynaliteServer.start(dir.resolve("dynalite"));
        admin = DynamoDbClient.builder().endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(KEYS).httpClient(ApacheHttpClient.create()).build();
    }

    @AfterAll
    static void stopDynalite() {
        admin.close();
        dynalite.close();
    }

    private String table() {
        if (table == null) {
            table = "multistore-config-" + ++tables;
            DynamoDbTable.createIfMissing(admin, table, DynamoDbConfigProvider.DEFAULT_INDEX);
        }
        return table;
    }

    @Override
    protected void put(Kind kind, String id, String json) {
        DynamoDbTable.put(admin, table(), kind.name().toLowerCase(Locale.ROOT), id, json);
    }

    @Override
    protected void delete(Kind kind, String id) {
        DynamoDbTable.delete(admin, table(), kind.name().toLowerCase(Locale.ROOT), id);
    }

    @Override
    protected ConfigProvider start() {
        provider = new DynamoDbConfigProvider(table(), "us-east-1", dynalite.endpoint().toString(), "", KEYS,
                Duration.ofSeconds(3));
        return provider;
    }

    @Override
    protected void stop() {
        provider.close();
    }

    @Override
    protected boolean takeStoreDown() {
        dynalite.stop();
        return true;
    }

    @Override
    protected void bringStoreBack() throws Exception {
        dynalite.restart();
    }
}
