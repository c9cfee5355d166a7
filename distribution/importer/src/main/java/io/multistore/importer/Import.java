package io.multistore.importer;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.config.dynamodb.internal.DynamoDbTable;
import io.multistore.config.file.internal.ConfigFileException;
import io.multistore.config.file.internal.ConfigFiles;
import io.multistore.config.postgres.internal.PostgresTables;
import io.multistore.config.records.Json;
import io.multistore.launcher.ConfigSource;
import io.multistore.launcher.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code bin/multistore-server import}: reads a {@code config.toml} (and an STS file) with the provider's own parser,
 * so only a valid configuration is imported, and writes every bucket, role and credential to a config store — the
 * migration path from a file to DynamoDB or PostgreSQL — or prints the JSON an HTTP control plane serves.
 * Records are upserted by id; records already in the store and absent from the file are left alone.
 */
public final class Import {

    static final String USAGE = """
            Usage: multistore-server import --config PATH [--sts-config PATH] --to TARGET

            Loads the buckets, roles and credentials of a config.toml (or .json) into a config store.

            Targets:
              dynamodb://TABLE?region=REGION&endpoint=URL
                        creates the table (PK/SK, index SK-PK-index, on-demand) if missing, then writes one item per
                        record; AWS credentials from the default chain
              postgresql://USER@HOST:PORT/DB?password_file=PATH
                        applies config/postgres-schema.sql (idempotent), then upserts one row per record; password
                        from password_file or PGPASSWORD
              json      prints {"buckets": [...], "roles": [...], "credentials": [...]} for an HTTP control plane to
                        serve (GET /buckets answers the "buckets" array). It contains the secrets of the credentials.
            """;

    private Import() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), Path.of("").toAbsolutePath(), System.out, System.err));
    }

    static int run(List<String> args, Path cwd, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                out.print(USAGE);
                return 0;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!List.of("--config", "--sts-config", "--to").contains(name)) {
                err.println("error: unknown option '" + name + "'\n");
                err.print(USAGE);
                return 2;
            }
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                    : i + 1 < args.size() ? args.get(++i) : null;
            if (value == null || value.isEmpty() || options.put(name, value) != null) {
                err.println("error: option '" + name + "' needs one value\n");
                err.print(USAGE);
                return 2;
            }
        }
        if (!options.containsKey("--config") || !options.containsKey("--to")) {
            err.println("error: --config and --to are required\n");
            err.print(USAGE);
            return 2;
        }
        try {
            String to = options.get("--to");
            ConfigSource.Network network = null;
            if (!to.equals("json")) {
                ConfigSource target = ConfigSource.parse(to, cwd);
                if (!(target instanceof ConfigSource.Network n) || n.source().equals("http")) {
                    throw new UsageException("--to must be a dynamodb:// or postgresql:// URL, or json", true);
                }
                network = n;
            }
            ConfigFiles.Contents contents = ConfigFiles.read(cwd.resolve(options.get("--config")),
                    options.containsKey("--sts-config") ? cwd.resolve(options.get("--sts-config")) : null);
            contents.warnings().forEach(w -> err.println("warning: " + w));
            if (network == null) {
                out.println(Json.write(document(contents), true));
                return 0;
            }
            if (network.source().equals("dynamodb")) {
                toDynamoDb(network.properties(), contents);
            } else {
                toPostgres(network.properties(), contents);
            }
            err.printf("imported %d buckets, %d roles, %d credentials into %s%n", contents.buckets().size(),
                    contents.roles().size(), contents.credentials().size(), network.display());
            return 0;
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (ConfigFileException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException | SQLException | RuntimeException e) {
            err.println("error: import failed: " + e);
            return 1;
        }
    }

    static Map<String, Object> document(ConfigFiles.Contents contents) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("buckets", contents.buckets().stream().map(Json::toMap).toList());
        doc.put("roles", contents.roles().stream().map(Json::toMap).toList());
        doc.put("credentials", contents.credentials().stream().map(Json::toMap).toList());
        return doc;
    }

    private static void toDynamoDb(Map<String, Object> p, ConfigFiles.Contents contents) {
        var builder = DynamoDbClient.builder().httpClient(ApacheHttpClient.create())
                .region(Region.of(String.valueOf(p.get("region"))));
        String endpoint = String.valueOf(p.get("endpoint"));
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        String table = String.valueOf(p.get("table"));
        try (DynamoDbClient client = builder.build()) {
            DynamoDbTable.createIfMissing(client, table, "SK-PK-index");
            for (BucketConfig b : contents.buckets()) {
                DynamoDbTable.put(client, table, "bucket", b.name(), Json.write(Json.toMap(b)));
            }
            for (RoleConfig r : contents.roles()) {
                DynamoDbTable.put(client, table, "role", r.roleId(), Json.write(Json.toMap(r)));
            }
            for (StoredCredential c : contents.credentials()) {
                DynamoDbTable.put(client, table, "credential", c.accessKeyId(), Json.write(Json.toMap(c)));
            }
        }
    }

    private static void toPostgres(Map<String, Object> p, ConfigFiles.Contents contents)
            throws IOException, SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(String.valueOf(p.get("url")));
        if (!String.valueOf(p.get("user")).isEmpty()) {
            ds.setUser(String.valueOf(p.get("user")));
        }
        String passwordFile = String.valueOf(p.get("password_file"));
        String password = !passwordFile.isEmpty()
                ? Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).stripTrailing()
                : System.getenv("PGPASSWORD");
        if (password != null && !password.isEmpty()) {
            ds.setPassword(password);
        }
        String schema = Files.readString(Path.of(System.getProperty("multistore.home", "."),
                "config/postgres-schema.sql"), StandardCharsets.UTF_8);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(schema);
            }
            List<String[]> rows = new ArrayList<>();
            contents.buckets().forEach(b -> rows.add(new String[] {"bucket", b.name(), Json.write(Json.toMap(b))}));
            contents.roles().forEach(r -> rows.add(new String[] {"role", r.roleId(), Json.write(Json.toMap(r))}));
            contents.credentials().forEach(cr -> rows.add(new String[] {"credential", cr.accessKeyId(),
                    Json.write(Json.toMap(cr))}));
            for (String[] row : rows) {
                try (PreparedStatement s = c.prepareStatement(PostgresTables.upsert(row[0]))) {
                    s.setString(1, row[1]);
                    s.setString(2, row[2]);
                    s.executeUpdate();
                }
            }
            c.commit();
        }
    }
}
