package io.multistore.config.records;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records as the network providers fetch them: one JSON document per bucket, role or credential. A record that is
 * not valid is rejected alone: the problem is logged at ERROR with the record and the field named (never a value),
 * the lookup answers "absent", and every other record keeps serving.
 */
public final class JsonRecords {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRecords.class);

    /** The three record types, with the field that is each one's id. */
    public enum Kind {
        BUCKET("name", "bucket"), ROLE("role_id", "role"), CREDENTIAL("access_key_id", "credential");

        private final String idField;
        private final String noun;

        Kind(String idField, String noun) {
            this.idField = idField;
            this.noun = noun;
        }

        /** The JSON field holding the record's id. */
        public String idField() {
            return idField;
        }
    }

    private JsonRecords() {
    }

    /**
     * @param where where the record came from, for messages ({@code http://cp/buckets/b})
     * @param id    the id it was fetched by; a record with another id is rejected, so a store that answers with
     *              the wrong record cannot grant access to the wrong bucket
     */
    public static Optional<BucketConfig> bucket(String json, String where, String id) {
        return read(Kind.BUCKET, json, where, id, RecordReader::bucket, BucketConfig::name);
    }

    /** As {@link #bucket}, for a role. */
    public static Optional<RoleConfig> role(String json, String where, String id) {
        return read(Kind.ROLE, json, where, id, RecordReader::role, RoleConfig::roleId);
    }

    /** As {@link #bucket}, for a long-lived credential. */
    public static Optional<StoredCredential> credential(String json, String where, String id) {
        return read(Kind.CREDENTIAL, json, where, id, RecordReader::credential, StoredCredential::accessKeyId);
    }

    /** Every valid bucket of a listing, each element one record; invalid ones are logged and left out. */
    public static List<BucketConfig> buckets(List<?> records, String where) {
        List<BucketConfig> result = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Object record = records.get(i);
            String at = where + " [" + i + "]";
            if (!(record instanceof Map<?, ?> map)) {
                LOG.error("Rejected bucket record {}: expected a JSON object, found {}", at,
                        RecordReader.typeName(record, RecordReader.Dialect.JSON));
                continue;
            }
            read(Kind.BUCKET, map, at, null, RecordReader::bucket, BucketConfig::name).ifPresent(result::add);
        }
        return result;
    }

    private static <T> Optional<T> read(Kind kind, String json, String where, String id,
            Function<RecordReader, T> type, Function<T, String> idOf) {
        Map<String, Object> map;
        try {
            map = Json.parseObject(json);
        } catch (Json.SyntaxException e) {
            LOG.error("Rejected {} record {}: {}", kind.noun, where, e.getMessage());
            return Optional.empty();
        }
        return read(kind, map, where, id, type, idOf);
    }

    @SuppressWarnings("unchecked")
    private static <T> Optional<T> read(Kind kind, Map<?, ?> map, String where, String id,
            Function<RecordReader, T> type, Function<T, String> idOf) {
        RecordReader reader = new RecordReader((Map<String, ?>) map, pointer(where), RecordReader.Dialect.JSON,
                kind.noun + " record");
        T value = type.apply(reader);
        reader.warnings().forEach(w -> LOG.warn("{}", w));
        if (value == null) {
            LOG.error("Rejected {} record {}:\n  {}", kind.noun, where, String.join("\n  ", reader.problems()));
            return Optional.empty();
        }
        if (id != null && !id.equals(idOf.apply(value))) {
            LOG.error("Rejected {} record {}: {} is \"{}\", not the \"{}\" it was looked up by", kind.noun, where,
                    kind.idField, idOf.apply(value), id);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /**
     * Whether {@code id} can name a record at all: not empty, at most 1024 characters, no {@code /} or {@code \\},
     * not {@code .} or {@code ..}, no control characters (NUL included). Providers answer "absent" for anything
     * else without asking their store, so an id never turns into a path traversal or a malformed query.
     */
    public static boolean plausibleId(String id) {
        if (id == null || id.isEmpty() || id.length() > 1024 || id.equals(".") || id.equals("..")) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Places a field by its JSON pointer within the record. */
    public static RecordReader.Locator pointer(String where) {
        return path -> {
            if (path.isEmpty()) {
                return where;
            }
            StringBuilder sb = new StringBuilder(where).append(" at ");
            for (Object step : path) {
                sb.append('/').append(String.valueOf(step).replace("~", "~0").replace("/", "~1"));
            }
            return sb.toString();
        };
    }
}
