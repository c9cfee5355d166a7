package io.multistore.config.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {

    @Test
    void problemsInAJsonRecordNameTheRecordAndThePointerNeverTheValue() {
        Map<String, Object> record = Json.parseObject("""
                {"name": "b", "backend_type": "s3", "anonymous_access": false,
                 "backend_options": {"secret_access_key": ["TOPSECRET"]}}""");
        RecordReader reader = new RecordReader(record, JsonRecords.pointer("http://cp/buckets/b"),
                RecordReader.Dialect.JSON, "bucket record");
        assertEquals(null, reader.bucket());
        assertEquals(List.of("http://cp/buckets/b at /backend_options/secret_access_key: bucket \"b\": "
                + "backend_options.secret_access_key must be a string, boolean or number, found an array"),
                reader.problems());
        assertFalse(reader.problems().get(0).contains("TOPSECRET"));
    }

    @Test
    void stringifiedOptionsNullsAndDefaultsAsInToml() {
        BucketConfig b = JsonRecords.bucket("""
                {"name": "b", "backend_type": "s3", "anonymous_access": true, "backend_prefix": null,
                 "backend_options": {"skip_signature": true, "max_retries": 3, "ratio": 0.5}}""", "test", "b")
                .orElseThrow();
        assertEquals(Map.of("skip_signature", "true", "max_retries", "3", "ratio", "0.5"), b.backendOptions());
        assertEquals("", b.backendPrefix());
    }

    @Test
    void aRecordUnderAnotherIdIsRejected() {
        assertTrue(JsonRecords.bucket("{\"name\": \"a\", \"backend_type\": \"fs\", \"anonymous_access\": true}",
                "test", "b").isEmpty());
    }

    @Test
    void malformedJsonSaysWhereButQuotesNothing() {
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class,
                () -> Json.parse("{\"secret\": TOPSECRET}"));
        assertTrue(e.getMessage().startsWith("line 1: invalid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("TOPSECRET"), e.getMessage());
        assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"));
        assertThrows(Json.SyntaxException.class, () -> Json.parse("{} {}"));
        assertThrows(Json.SyntaxException.class, () -> Json.parse(""));
    }

    @Test
    void idsThatCannotBeKeysAreNotPlausible() {
        for (String id : List.of("", ".", "..", "a/b", "a\\b", "a\u0000b", "a\nb", "x".repeat(1025))) {
            assertFalse(JsonRecords.plausibleId(id), id);
        }
        for (String id : List.of("bucket", "a.b-c_d", "AKIDEXAMPLE", "a b", "..a", "ümlaut")) {
            assertTrue(JsonRecords.plausibleId(id), id);
        }
    }

    @Test
    void writtenRecordsReadBackEqual() {
        BucketConfig b = new BucketConfig("b", "s3", "p/", false, List.of("r"), Map.of("region", "eu-west-1"));
        assertEquals(b, JsonRecords.bucket(Json.write(Json.toMap(b)), "test", "b").orElseThrow());
    }

    @Test
    void corsIsOneRuleOrSeveralAndRoundTrips() {
        BucketConfig one = JsonRecords.bucket("""
                {"name": "b", "backend_type": "fs", "anonymous_access": true,
                 "cors": {"allowed_origins": ["https://*.example.com"], "allowed_methods": ["get", "PUT"],
                          "allowed_headers": ["x-amz-*"], "expose_headers": ["ETag"], "max_age_seconds": 600}}""",
                "test", "b").orElseThrow();
        assertEquals(1, one.cors().size());
        assertEquals(List.of("GET", "PUT"), one.cors().get(0).allowedMethods());
        assertEquals(600, one.cors().get(0).maxAgeSeconds());
        assertEquals(one, JsonRecords.bucket(Json.write(Json.toMap(one)), "test", "b").orElseThrow());

        BucketConfig none = JsonRecords.bucket("{\"name\": \"b\", \"backend_type\": \"fs\", "
                + "\"anonymous_access\": true, \"cors\": []}", "test", "b").orElseThrow();
        assertEquals(List.of(), none.cors());
        BucketConfig unset = JsonRecords.bucket("{\"name\": \"b\", \"backend_type\": \"fs\", "
                + "\"anonymous_access\": true}", "test", "b").orElseThrow();
        assertEquals(null, unset.cors());
    }

    @Test
    void invalidCorsRulesRejectTheBucketAndSayWhy() {
        for (String rule : List.of("{\"allowed_origins\": [\"*\"], \"allowed_methods\": [\"PATCH\"]}",
                "{\"allowed_origins\": [\"https://*.*.example\"], \"allowed_methods\": [\"GET\"]}",
                "{\"allowed_origins\": [], \"allowed_methods\": [\"GET\"]}",
                "{\"allowed_origins\": [\"*\"], \"allowed_methods\": [\"GET\"], \"max_age_seconds\": -5}",
                "[\"*\"]")) {
            Map<String, Object> record = Json.parseObject("{\"name\": \"b\", \"backend_type\": \"fs\", "
                    + "\"anonymous_access\": true, \"cors\": [" + rule + "]}");
            RecordReader reader = new RecordReader(record, JsonRecords.pointer("test"), RecordReader.Dialect.JSON,
                    "bucket record");
            assertEquals(null, reader.bucket(), rule);
            assertTrue(reader.problems().get(0).matches("test at /cors/0(/max_age_seconds)?: bucket \"b\".*"),
                    reader.problems().toString());
        }
    }
}
