package io.multistore.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.config.file.internal.ConfigFiles;
import io.multistore.config.records.Json;
import io.multistore.config.records.JsonRecords;
import io.multistore.testsupport.DynaliteServer;
import io.multistore.testsupport.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The shipped example configuration imported into each store and read back with the providers' record rules. */
class ImportTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Import.run(List.of(args), temp, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The example files with their commented-out records enabled, so every record type is there. */
    private ConfigFiles.Contents example() throws Exception {
        Path home = Path.of(System.getProperty("multistore.home"));
        for (String name : List.of("config.toml", "sts.toml")) {
            String text = Files.readString(home.resolve("config").resolve(name));
            Files.writeString(temp.resolve(name), text);
        }
        ConfigFiles.Contents contents = ConfigFiles.read(temp.resolve("config.toml"), temp.resolve("sts.toml"));
        assertTrue(!contents.buckets().isEmpty() && !contents.roles().isEmpty() && !contents.credentials().isEmpty(),
                "the example defines every record type: " + contents);
        return contents;
    }

    @Test
    void jsonForAControlPlaneHoldsEveryRecordAsTheProvidersReadIt() throws Exception {
        ConfigFiles.Contents contents = example();
        assertEquals(0, run("--config", "config.toml", "--sts-config", "sts.toml", "--to", "json"), err::toString);
        Map<?, ?> doc = (Map<?, ?>) Json.parse(out.toString(StandardCharsets.UTF_8)).root();
        assertEquals(contents.buckets(), JsonRecords.buckets((List<?>) doc.get("buckets"), "test"));
        List<RoleConfig> roles = new ArrayList<>();
        for (Object r : (List<?>) doc.get("roles")) {
            roles.add(JsonRecords.role(Json.write(r), "test", (String) ((Map<?, ?>) r).get("role_id")).orElseThrow());
        }
        assertEquals(contents.roles(), roles);
        List<StoredCredential> creds = new ArrayList<>();
        for (Object c : (List<?>) doc.get("credentials")) {
            creds.add(JsonRecords.credential(Json.write(c), "test", (String) ((Map<?, ?>) c).get("access_key_id"))
                    .orElseThrow());
        }
        assertEquals(contents.credentials(), creds);
    }

    @Test
    void intoPostgres() throws Exception {
        ConfigFiles.Contents contents = example();
        try (PostgresServer pg = PostgresServer.start(temp.resolve("pg"))) {
            String url = "postgresql://postgres@127.0.0.1:" + pg.port() + "/postgres";
            assertEquals(0, run("--config", "config.toml", "--sts-config", "sts.toml", "--to", url), err::toString);
            // again: an upsert, not a duplicate
            assertEquals(0, run("--config", "config.toml", "--sts-config", "sts.toml", "--to", url), err::toString);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                    Statement s = c.createStatement()) {
                List<BucketConfig> buckets = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT name, config_json::text FROM proxy_buckets")) {
                    while (rs.next()) {
                        buckets.add(JsonRecords.bucket(rs.getString(2), "test", rs.getString(1)).orElseThrow());
                    }
                }
                assertEquals(new java.util.HashSet<>(contents.buckets()), new java.util.HashSet<>(buckets));
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM proxy_credentials")) {
                    rs.next();
                    assertEquals(contents.credentials().size(), rs.getInt(1));
                }
            }
        }
    }

    @Test
    void intoDynamoDb() throws Exception {
        ConfigFiles.Contents contents = example();
        try (DynaliteServer dynalite = DynaliteServer.start(temp.resolve("dynalite"))) {
            System.setProperty("aws.accessKeyId", "AKIDIMPORT");
            System.setProperty("aws.secretAccessKey", "import-secret");
            String url = "dynamodb://imported?region=us-east-1&endpoint=" + dynalite.endpoint();
            assertEquals(0, run("--config", "config.toml", "--sts-config", "sts.toml", "--to", url), err::toString);
            try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynalite.endpoint())
                    .region(Region.US_EAST_1).httpClient(ApacheHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .build()) {
                for (StoredCredential cred : contents.credentials()) {
                    Map<String, AttributeValue> item = client.getItem(g -> g.tableName("imported").key(Map.of(
                            "PK", AttributeValue.fromS("CRED#" + cred.accessKeyId()),
                            "SK", AttributeValue.fromS("LONG_LIVED")))).item();
                    assertEquals(cred, JsonRecords.credential(item.get("config_json").s(), "test",
                            cred.accessKeyId()).orElseThrow());
                }
            }
        }
    }

    @Test
    void badInputIsAUsageErrorOrAConfigError() throws Exception {
        Files.writeString(temp.resolve("bad.toml"), "[[buckets]]\nname = \"x\"\n");
        assertEquals(1, run("--config", "bad.toml", "--to", "json"));
        assertTrue(err.toString().contains("backend_type is required"), err::toString);
        assertEquals(2, run("--config", "bad.toml"));
        assertEquals(2, run("--config", "bad.toml", "--to", "https://cp.example.com/"));
    }
}
