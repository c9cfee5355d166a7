package io.multistore.config.postgres.internal;

/**
 * The three record tables of {@code config/postgres-schema.sql}, for the code that writes records: the import command
 * and the tests.
 */
public final class PostgresTables {

    private PostgresTables() {
    }

    /** {@code proxy_buckets}, {@code proxy_roles} or {@code proxy_credentials}; kind: bucket, role, credential. */
    public static String table(String kind) {
        return switch (kind) {
            case "bucket" -> "proxy_buckets";
            case "role" -> "proxy_roles";
            case "credential" -> "proxy_credentials";
            default -> throw new IllegalArgumentException("kind must be bucket, role or credential: " + kind);
        };
    }

    /** The key column of the kind's table. */
    public static String keyColumn(String kind) {
        return switch (kind) {
            case "bucket" -> "name";
            case "role" -> "role_id";
            default -> "access_key_id";
        };
    }

    /** Inserts or replaces one record: parameters are the id and the record's JSON text. */
    public static String upsert(String kind) {
        return "INSERT INTO " + table(kind) + " (" + keyColumn(kind) + ", config_json) VALUES (?, ?::jsonb) "
                + "ON CONFLICT (" + keyColumn(kind) + ") DO UPDATE SET config_json = EXCLUDED.config_json";
    }

    /** Deletes one record: the parameter is the id. */
    public static String delete(String kind) {
        return "DELETE FROM " + table(kind) + " WHERE " + keyColumn(kind) + " = ?";
    }
}
