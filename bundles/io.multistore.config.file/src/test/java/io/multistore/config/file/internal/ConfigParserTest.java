package io.multistore.config.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    private static final String FULL = """
            owner_id = "owner-1"

            [[buckets]]
            name = "data"
            backend_type = "s3"
            backend_prefix = "team-a/"
            anonymous_access = false
            allowed_roles = ["ci"]

            [buckets.backend_options]
            endpoint = "http://127.0.0.1:9000"
            bucket_name = "real-bucket"
            secret_access_key = "s3cr3t"
            skip_signature = true
            max_retries = 3

            [[buckets]]
            name = "open"
            backend_type = "gcs"
            anonymous_access = true

            [[roles]]
            role_id = "ci"
            name = "CI"
            trusted_oidc_issuers = ["https://token.actions.githubusercontent.com"]
            required_audiences = ["a", "b"]
            subject_conditions = ["repo:org/*"]
            max_session_duration_secs = 900

            [[roles.allowed_scopes]]
            bucket = "{repo}"
            prefixes = ["builds/"]
            actions = ["get_object", "PUT_OBJECT"]

            [[credentials]]
            access_key_id = "AKIA1"
            secret_access_key = "verysecret"
            principal_name = "alice"
            created_at = 2024-01-02T03:04:05Z
            expires_at = "2030-01-01T00:00:00+01:00"
            enabled = false

            [[credentials.allowed_scopes]]
            bucket = "data"
            prefixes = []
            actions = ["get_object", "list_bucket"]

            [[credentials.allowed_scopes]]
            bucket = "*"
            actions = []
            """;

    /** {@link #FULL} as JSON: the same records, as a JSON --config file holds them. */
    private static final String FULL_JSON = """
            {
              "owner_id": "owner-1",
              "buckets": [
                {"name": "data", "backend_type": "s3", "backend_prefix": "team-a/", "anonymous_access": false,
                 "allowed_roles": ["ci"],
                 "backend_options": {"endpoint": "http://127.0.0.1:9000", "bucket_name": "real-bucket",
                                     "secret_access_key": "s3cr3t", "skip_signature": true, "max_retries": 3}},
                {"name": "open", "backend_type": "gcs", "anonymous_access": true}
              ],
              "roles": [
                {"role_id": "ci", "name": "CI", "trusted_oidc_issuers": ["https://token.actions.githubusercontent.com"],
                 "required_audiences": ["a", "b"], "subject_conditions": ["repo:org/*"],
                 "max_session_duration_secs": 900,
                 "allowed_scopes": [{"bucket": "{repo}", "prefixes": ["builds/"],
                                     "actions": ["get_object", "PUT_OBJECT"]}]}
              ],
              "credentials": [
                {"access_key_id": "AKIA1", "secret_access_key": "verysecret", "principal_name": "alice",
                 "created_at": "2024-01-02T03:04:05Z", "expires_at": "2030-01-01T00:00:00+01:00", "enabled": false,
                 "allowed_scopes": [{"bucket": "data", "prefixes": [], "actions": ["get_object", "list_bucket"]},
                                    {"bucket": "*", "actions": []}]}
              ]
            }
            """;

    @Test
    void jsonFileMeansTheSameAsTheTomlFile() {
        ConfigSnapshot toml = parse(FULL);
        ConfigSnapshot json = ConfigParser.parse(new ConfigParser.Source("config.json", FULL_JSON), null);
        assertEquals(toml.buckets(), json.buckets());
        assertEquals(toml.roles(), json.roles());
        assertEquals(toml.credentials(), json.credentials());
        assertEquals(List.of(), json.warnings());
    }

    @Test
    void jsonProblemsNameTheLineAndTheField() {
        String json = """
                {"buckets": [
                  {"name": "b",
                   "backend_type": "s3",
                   "anonymous_access": "no"},
                  {"backend_type": "s3", "anonymous_access": true}
                ],
                 "roles": {}}
                """;
        ConfigFileException e = assertThrows(ConfigFileException.class,
                () -> ConfigParser.parse(new ConfigParser.Source("config.json", json), null));
        assertProblem(e, "config.json:4: bucket \"b\": anonymous_access must be a boolean (true or false), found "
                + "a string");
        assertProblem(e, "config.json:5: bucket record: name is required".replace("bucket record", "[[buckets]] #2"));
        assertProblem(e, "config.json:7: roles must be an array of objects, found an object");
        assertEquals(3, e.problems().size(), e::getMessage);
    }

    @Test
    void malformedJsonSaysWhereWithoutQuotingTheFile() {
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> ConfigParser.parse(
                new ConfigParser.Source("config.json", "{\"credentials\": [{\"secret_access_key\": TOPSECRET}]}"),
                null));
        assertEquals(1, e.problems().size(), e::getMessage);
        assertTrue(e.problems().get(0).startsWith("config.json:1: invalid JSON"), e::getMessage);
        assertFalse(e.getMessage().contains("TOPSECRET"), e.getMessage());
    }

    @Test
    void corsIsATableOrAnArrayOfTablesAndBadRulesNameTheirLine() {
        ConfigSnapshot snapshot = parse("""
                [[buckets]]
                name = "one"
                backend_type = "fs"
                anonymous_access = true
                [buckets.cors]
                allowed_origins = ["https://app.example.com"]
                allowed_methods = ["GET"]

                [[buckets]]
                name = "two"
                backend_type = "fs"
                anonymous_access = true
                [[buckets.cors]]
                allowed_origins = ["*"]
                allowed_methods = ["GET", "HEAD"]
                [[buckets.cors]]
                allowed_origins = ["https://*.example.org"]
                allowed_methods = ["PUT"]
                allowed_headers = ["*"]
                max_age_seconds = 30
                """);
        assertEquals(1, snapshot.buckets().get("one").cors().size());
        assertEquals(2, snapshot.buckets().get("two").cors().size());
        assertEquals(30, snapshot.buckets().get("two").cors().get(1).maxAgeSeconds());

        ConfigFileException e = assertThrows(ConfigFileException.class, () -> parse("""
                [[buckets]]
                name = "bad"
                backend_type = "fs"
                anonymous_access = true
                [buckets.cors]
                allowed_origins = ["https://app.example.com"]
                allowed_methods = ["PATCH"]
                """));
        assertTrue(e.getMessage().contains("config.toml:5: bucket \"bad\": cors rule #1: allowed_methods: \"PATCH\""),
                e.getMessage());
    }

    @Test
    void gatewayModePatternsAreBucketNamesToo() {
        ConfigSnapshot s = parse("""
                [[buckets]]
                name = "logs-*"
                backend_type = "s3"
                anonymous_access = false
                [buckets.backend_options]
                bucket_name = "{bucket}"
                """);
        assertEquals("{bucket}", s.buckets().get("logs-*").backendOptions().get("bucket_name"));
        assertEquals(List.of(), s.warnings());
        ConfigFileException e = failure("""
                [[buckets]]
                name = "Logs_*"
                backend_type = "s3"
                anonymous_access = false
                """);
        assertEquals(1, e.problems().size(), e::getMessage);
        assertTrue(e.problems().get(0).contains("may hold only lower-case letters"), e::getMessage);
    }

    private static ConfigSnapshot parse(String main) {
        return ConfigParser.parse(new ConfigParser.Source("config.toml", main), null);
    }

    private static ConfigSnapshot parse(String main, String sts) {
        return ConfigParser.parse(new ConfigParser.Source("config.toml", main),
                new ConfigParser.Source("sts.toml", sts));
    }

    private static ConfigFileException failure(String main) {
        return assertThrows(ConfigFileException.class, () -> parse(main));
    }

    private static void assertProblem(ConfigFileException e, String expected) {
        assertTrue(e.problems().contains(expected), () -> "expected problem\n  " + expected + "\nin\n"
                + String.join("\n", e.problems()));
    }

    @Test
    void parsesEveryFieldOfTheSchema() {
        ConfigSnapshot s = parse(FULL);

        assertEquals(List.of("data", "open"), List.copyOf(s.buckets().keySet()));
        BucketConfig data = s.buckets().get("data");
        assertEquals(new BucketConfig("data", "s3", "team-a/", false, List.of("ci"),
                Map.of("endpoint", "http://127.0.0.1:9000", "bucket_name", "real-bucket", "secret_access_key",
                        "s3cr3t", "skip_signature", "true", "max_retries", "3")), data);
        BucketConfig open = s.buckets().get("open");
        assertEquals("", open.backendPrefix());
        assertTrue(open.anonymousAccess());
        assertEquals(Map.of(), open.backendOptions());

        RoleConfig ci = s.roles().get("ci");
        assertEquals(new RoleConfig("ci", "CI", List.of("https://token.actions.githubusercontent.com"),
                List.of("a", "b"), List.of("repo:org/*"), 900,
                List.of(new AccessScope("{repo}", List.of("builds/"), Set.of(Action.GET_OBJECT, Action.PUT_OBJECT)))),
                ci);

        StoredCredential cred = s.credentials().get("AKIA1");
        assertEquals("verysecret", cred.secretAccessKey());
        assertEquals("alice", cred.principalName());
        assertEquals(Instant.parse("2024-01-02T03:04:05Z"), cred.createdAt());
        assertEquals(Instant.parse("2029-12-31T23:00:00Z"), cred.expiresAt());
        assertFalse(cred.enabled());
        assertEquals(List.of(new AccessScope("data", List.of(), Set.of(Action.GET_OBJECT, Action.LIST_BUCKET)),
                new AccessScope("*", List.of(), Set.of())), cred.allowedScopes());
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void appliesDefaults() {
        ConfigSnapshot s = parse("""
                [[roles]]
                role_id = "r"
                name = "R"
                trusted_oidc_issuers = ["https://issuer"]
                required_audience = "legacy"

                [[credentials]]
                access_key_id = "AK"
                secret_access_key = "x"
                principal_name = "p"
                created_at = "2024-01-01 00:00:00Z"
                """);
        RoleConfig r = s.roles().get("r");
        assertEquals(3600, r.maxSessionDurationSecs());
        assertEquals(List.of("legacy"), r.requiredAudiences());
        assertEquals(List.of(), r.subjectConditions());
        assertEquals(List.of(), r.allowedScopes());
        StoredCredential c = s.credentials().get("AK");
        assertTrue(c.enabled());
        assertNull(c.expiresAt());
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), c.createdAt());
        assertTrue(s.buckets().isEmpty());
    }

    @Test
    void requiredAudiencesMayBeASingleString() {
        ConfigSnapshot s = parse("""
                [[roles]]
                role_id = "r"
                name = "R"
                trusted_oidc_issuers = ["https://issuer"]
                required_audiences = "one"
                """);
        assertEquals(List.of("one"), s.roles().get("r").requiredAudiences());
    }

    @Test
    void bothAudienceKeysAreAnError() {
        ConfigFileException e = failure("""
                [[roles]]
                role_id = "r"
                name = "R"
                trusted_oidc_issuers = ["https://issuer"]
                required_audiences = ["a"]
                required_audience = "b"
                """);
        assertProblem(e, "config.toml:6: role \"r\": set required_audiences or the legacy required_audience, "
                + "not both");
    }

    @Test
    void invalidTomlNamesFileAndLine() {
        ConfigFileException e = failure("""
                [[buckets]]
                name = "a"
                backend_type = "fs
                anonymous_access = true
                """);
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("config.toml:3: invalid TOML: "), e.problems().get(0));
        assertTrue(e.getMessage().contains("config.toml:3:"), e.getMessage());
    }

    @Test
    void unknownActionsAreNamed() {
        ConfigFileException e = failure("""
                [[credentials]]
                access_key_id = "AK"
                secret_access_key = "x"
                principal_name = "p"
                created_at = 2024-01-01T00:00:00Z

                [[credentials.allowed_scopes]]
                bucket = "b"
                actions = ["get_object", "get_objects", "fly"]
                """);
        assertEquals(1, e.problems().size(), () -> String.join("\n", e.problems()));
        String problem = e.problems().get(0);
        assertTrue(problem.startsWith("config.toml:9: credential \"AK\": allowed_scopes #1: unknown actions "
                + "'get_objects', 'fly' (known: get_object, "), problem);
    }

    @Test
    void missingRequiredFieldsAreEachReported() {
        ConfigFileException e = failure("""
                [[buckets]]
                backend_type = "s3"

                [[buckets]]
                name = "b"

                [[roles]]
                role_id = "r"
                trusted_oidc_issuers = ["https://issuer"]

                [[credentials]]
                access_key_id = "AK"

                [[credentials.allowed_scopes]]
                bucket = "b"
                """);
        assertProblem(e, "config.toml:1: [[buckets]] #1: name is required");
        assertProblem(e, "config.toml:1: [[buckets]] #1: anonymous_access is required (true or false)");
        assertProblem(e, "config.toml:4: bucket \"b\": backend_type is required");
        assertProblem(e, "config.toml:4: bucket \"b\": anonymous_access is required (true or false)");
        assertProblem(e, "config.toml:7: role \"r\": name is required");
        assertProblem(e, "config.toml:11: credential \"AK\": secret_access_key is required");
        assertProblem(e, "config.toml:11: credential \"AK\": principal_name is required");
        assertProblem(e, "config.toml:11: credential \"AK\": created_at is required (an RFC 3339 date-time such as "
                + "2025-01-01T00:00:00Z)");
        assertProblem(e, "config.toml:14: credential \"AK\": allowed_scopes #1: actions is required (for example "
                + "actions = [\"get_object\", \"list_bucket\"])");
        assertEquals(9, e.problems().size(), () -> String.join("\n", e.problems()));
    }

    @Test
    void wrongTypesAreReportedAtTheKey() {
        ConfigFileException e = failure("""
                [[buckets]]
                name = "b"
                backend_type = "fs"
                anonymous_access = "yes"
                allowed_roles = "r"

                [buckets.backend_options]
                root = ["x"]
                """);
        assertProblem(e, "config.toml:4: bucket \"b\": anonymous_access must be a boolean (true or false), found a "
                + "string");
        assertProblem(e, "config.toml:5: bucket \"b\": allowed_roles must be an array of strings, found a string");
        assertProblem(e, "config.toml:8: bucket \"b\": backend_options.root must be a string, boolean or number, "
                + "found an array");
    }

    @Test
    void duplicateBucketNamesAreAnError() {
        ConfigFileException e = failure("""
                [[buckets]]
                name = "b"
                backend_type = "fs"
                anonymous_access = true

                [[buckets]]
                name = "b"
                backend_type = "s3"
                anonymous_access = false
                """);
        assertEquals(List.of("config.toml:6: bucket \"b\": duplicate bucket name \"b\" (first defined at "
                + "config.toml:1)"), e.problems());
    }

    private static final String ROLE_R = """
            [[roles]]
            role_id = "r"
            name = "R"
            trusted_oidc_issuers = ["https://issuer"]
            """;

    private static final String CRED_AK = """
            [[credentials]]
            access_key_id = "AK"
            secret_access_key = "x"
            principal_name = "p"
            created_at = 2024-01-01T00:00:00Z
            """;

    @Test
    void stsFileEntriesAreAddedToTheMainFile() {
        ConfigSnapshot s = parse("""
                [[buckets]]
                name = "bkt"
                backend_type = "fs"
                anonymous_access = false
                allowed_roles = ["r2"]
                """ + ROLE_R + CRED_AK, ROLE_R.replace("\"r\"", "\"r2\"") + CRED_AK.replace("\"AK\"", "\"AK2\""));
        assertEquals(List.of("r", "r2"), List.copyOf(s.roles().keySet()));
        assertEquals(List.of("AK", "AK2"), List.copyOf(s.credentials().keySet()));
        assertEquals(List.of(), s.warnings(), "the bucket's role is defined in the STS file");
    }

    @Test
    void anIdInBothFilesIsAnError() {
        ConfigFileException e = assertThrows(ConfigFileException.class,
                () -> parse(ROLE_R + CRED_AK, CRED_AK + ROLE_R));
        assertProblem(e, "sts.toml:1: credential \"AK\": duplicate access_key_id \"AK\" (first defined at "
                + "config.toml:5)");
        assertProblem(e, "sts.toml:6: role \"r\": duplicate role_id \"r\" (first defined at config.toml:1)");
        assertEquals(2, e.problems().size());
    }

    @Test
    void duplicatesWithinOneFileAreAnErrorToo() {
        ConfigFileException e = failure(CRED_AK + CRED_AK);
        assertEquals(List.of("config.toml:6: credential \"AK\": duplicate access_key_id \"AK\" (first defined at "
                + "config.toml:1)"), e.problems());
    }

    @Test
    void bucketsInTheStsFileAreAnError() {
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> parse("", """
                [[buckets]]
                name = "b"
                backend_type = "fs"
                anonymous_access = true
                """));
        assertEquals(List.of("sts.toml:1: [[buckets]] belong in the main configuration file, not the STS file"),
                e.problems());
    }

    @Test
    void roleWithoutTrustedIssuerIsAnError() {
        ConfigFileException e = failure("""
                [[roles]]
                role_id = "r"
                name = "R"
                """);
        assertEquals(List.of("config.toml:1: role \"r\": trusted_oidc_issuers is empty or missing: the role would "
                + "never accept a token"), e.problems());
    }

    @Test
    void dateTimesNeedAnOffset() {
        ConfigFileException e = failure(CRED_AK.replace("2024-01-01T00:00:00Z", "2024-01-01T00:00:00")
                + "expires_at = \"next year\"\n");
        assertProblem(e, "config.toml:5: credential \"AK\": created_at has no UTC offset; write it as "
                + "2025-01-01T00:00:00Z or with +hh:mm");
        assertProblem(e, "config.toml:6: credential \"AK\": expires_at is not an RFC 3339 date-time with an offset "
                + "(such as 2025-01-01T00:00:00Z)");
    }

    @Test
    void nonPositiveSessionDurationIsAnError() {
        ConfigFileException e = failure(ROLE_R + "max_session_duration_secs = 0\n");
        assertEquals(List.of("config.toml:5: role \"r\": max_session_duration_secs must be positive"),
                e.problems());
    }

    @Test
    void unusualBucketNamesAndUnknownKeysAreWarnings() {
        ConfigSnapshot s = parse("""
                colour = "blue"

                [[buckets]]
                name = "My_Bucket"
                backend_type = "custom"
                anonymous_access = true
                anonymus_access = true
                allowed_roles = ["nobody"]

                [[credentials]]
                access_key_id = "AK"
                secret_access_key = "x"
                principal_name = "p"
                created_at = 2024-01-01T00:00:00Z

                [[credentials.allowed_scopes]]
                bucket = "elsewhere"
                actions = ["get_object"]
                """);
        assertEquals("custom", s.buckets().get("My_Bucket").backendType(), "unknown backend types are kept");
        List<String> w = s.warnings();
        assertTrue(w.contains("config.toml:1: unknown key 'colour' ignored"), w::toString);
        assertTrue(w.contains("config.toml:7: bucket \"My_Bucket\": unknown key 'anonymus_access' ignored"),
                w::toString);
        assertTrue(w.stream().anyMatch(x -> x.startsWith("config.toml:4: bucket \"My_Bucket\": bucket name "
                + "\"My_Bucket\" is not a valid S3 bucket name")), w::toString);
        assertTrue(w.contains("config.toml:3: bucket \"My_Bucket\": allowed_roles names role \"nobody\", which is "
                + "not defined"), w::toString);
        assertTrue(w.contains("config.toml:16: credential \"AK\": allowed_scopes #1: scope names bucket "
                + "\"elsewhere\", which is not defined"), w::toString);
        assertEquals(5, w.size(), w::toString);
    }

    @Test
    void bucketNameWithSlashIsAnError() {
        ConfigFileException e = failure("""
                [[buckets]]
                name = "a/b"
                backend_type = "fs"
                anonymous_access = true
                """);
        assertEquals(List.of("config.toml:2: bucket \"a/b\": bucket name must not contain '/'"), e.problems());
    }

    @Test
    void secretsNeverAppearInProblemsOrWarnings() {
        ConfigFileException e = failure("""
                [[buckets]]
                name = "b"
                backend_type = "s3"
                anonymous_access = "TOPSECRET-1"
                [buckets.backend_options]
                secret_access_key = ["TOPSECRET-2"]

                [[credentials]]
                access_key_id = "AK"
                secret_access_key = 12345678
                principal_name = "p"
                created_at = "TOPSECRET-3"
                """);
        assertFalse(e.getMessage().contains("TOPSECRET"), e.getMessage());
        assertFalse(e.getMessage().contains("12345678"), e.getMessage());
        assertEquals(4, e.problems().size(), e::getMessage);
    }

    @Test
    void topLevelTablesMustBeArraysOfTables() {
        ConfigFileException e = failure("""
                [buckets]
                name = "b"
                """);
        assertEquals(List.of("config.toml:1: buckets must be an array of tables ([[buckets]]), found a table"),
                e.problems());
    }

    @Test
    void emptyFileIsAnEmptyConfiguration() {
        ConfigSnapshot s = parse("# nothing yet\n");
        assertTrue(s.buckets().isEmpty() && s.roles().isEmpty() && s.credentials().isEmpty());
    }
}
