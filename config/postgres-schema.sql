-- Multistore config tables for the PostgreSQL provider (io.multistore.config.postgres).
-- Each row is one record as JSON with the config.toml field names; the key column repeats the record's id.
-- Safe to run again: it creates what is missing and replaces the notification function.
--
--   psql "postgresql://USER@HOST:5432/DB" -f postgres-schema.sql
--
-- The triggers announce every change on the channel multistore_config ("bucket:NAME", "role:ID",
-- "credential:ACCESS_KEY_ID"), so running gateways drop the record from their cache at once instead of waiting for
-- the cache TTL.

CREATE TABLE IF NOT EXISTS proxy_buckets (
    name        TEXT PRIMARY KEY,
    config_json JSONB NOT NULL
);

CREATE TABLE IF NOT EXISTS proxy_roles (
    role_id     TEXT PRIMARY KEY,
    config_json JSONB NOT NULL
);

CREATE TABLE IF NOT EXISTS proxy_credentials (
    access_key_id TEXT PRIMARY KEY,
    config_json   JSONB NOT NULL
);

CREATE OR REPLACE FUNCTION multistore_config_notify() RETURNS trigger AS $$
BEGIN
    -- TG_ARGV[0]: the record kind, TG_ARGV[1]: the key column
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('multistore_config', TG_ARGV[0] || ':' || (to_jsonb(OLD) ->> TG_ARGV[1]));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('multistore_config', TG_ARGV[0] || ':' || (to_jsonb(NEW) ->> TG_ARGV[1]));
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS proxy_buckets_notify ON proxy_buckets;
CREATE TRIGGER proxy_buckets_notify AFTER INSERT OR UPDATE OR DELETE ON proxy_buckets
    FOR EACH ROW EXECUTE FUNCTION multistore_config_notify('bucket', 'name');

DROP TRIGGER IF EXISTS proxy_roles_notify ON proxy_roles;
CREATE TRIGGER proxy_roles_notify AFTER INSERT OR UPDATE OR DELETE ON proxy_roles
    FOR EACH ROW EXECUTE FUNCTION multistore_config_notify('role', 'role_id');

DROP TRIGGER IF EXISTS proxy_credentials_notify ON proxy_credentials;
CREATE TRIGGER proxy_credentials_notify AFTER INSERT OR UPDATE OR DELETE ON proxy_credentials
    FOR EACH ROW EXECUTE FUNCTION multistore_config_notify('credential', 'access_key_id');
