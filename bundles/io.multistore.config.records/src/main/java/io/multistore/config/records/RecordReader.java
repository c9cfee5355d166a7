package io.multistore.config.records;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.CorsRule;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules of one bucket, role or credential record, applied to the record as plain Java values: maps with string
 * keys, lists, strings, booleans, numbers and (from TOML) {@code java.time} values. TOML files, JSON files and the
 * JSON that the HTTP, DynamoDB and PostgreSQL providers fetch all go through here, so a record means the same
 * whatever its source.
 * <p>
 * Strictness follows the Rust original where it has an opinion (required keys, roles without a trusted issuer) and
 * is lenient where an operator's record would otherwise break for no good reason: unknown keys are warned about and
 * ignored, {@code backend_options} values may be booleans or numbers (stringified), and bucket names S3 would reject
 * are only warned about. Messages name keys and ids, never values, so a secret cannot reach a log through a
 * validation error. Each message reads {@code where: record: what is wrong}, {@code where} coming from the
 * {@link Locator} the caller supplies ({@code config.toml:12}, {@code http://cp/buckets/b at /backend_options}).
 * <p>
 * One instance reads one record; not thread-safe.
 */
public final class RecordReader {

    /** The role session length when a record does not set {@code max_session_duration_secs}. */
    public static final long DEFAULT_MAX_SESSION_DURATION_SECS = 3600;

    private static final Set<String> BUCKET_KEYS = Set.of("name", "backend_type", "backend_prefix",
            "anonymous_access", "allowed_roles", "backend_options", "cors");
    private static final Set<String> ROLE_KEYS = Set.of("role_id", "name", "trusted_oidc_issuers",
            "required_audiences", "required_audience", "subject_conditions", "max_session_duration_secs",
            "allowed_scopes");
    private static final Set<String> CREDENTIAL_KEYS = Set.of("access_key_id", "secret_access_key",
            "principal_name", "created_at", "expires_at", "enabled", "allowed_scopes");
    private static final Set<String> SCOPE_KEYS = Set.of("bucket", "prefixes", "actions");
    private static final Set<String> CORS_KEYS = Set.of("allowed_origins", "allowed_methods", "allowed_headers",
            "expose_headers", "max_age_seconds", "id");

    /** S3's rules for bucket names (virtual-host style needs them; path style does not). */
    private static final Pattern S3_BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** A gateway-mode entry's name: a glob of bucket names. */
    private static final Pattern GATEWAY_PATTERN = Pattern.compile("[a-z0-9.*-]{1,63}");

    /** How the source format names its structures in messages. */
    public enum Dialect {
        TOML("a table", "an array of tables ([[%s]])"),
        JSON("an object", "an array of objects");

        private final String table;
        private final String tableArray;

        Dialect(String table, String tableArray) {
            this.table = table;
            this.tableArray = tableArray;
        }

        String tableArray(String key) {
            return tableArray.formatted(key);
        }
    }

    /** Says where a field of the record is, for messages. */
    @FunctionalInterface
    public interface Locator {
        /**
         * @param path keys (strings) and list indexes (integers) from the record to the field; empty for the
         *             record itself
         * @return where that is, e.g. {@code config.toml:12}; the nearest known enclosing place will do
         */
        String at(List<Object> path);
    }

    /** A scope's bucket, so a caller that knows every bucket can warn about scopes naming unknown ones. */
    public record ScopeBucket(String where, String bucket) {
    }

    private final Map<String, ?> record;
    private final Locator locator;
    private final Dialect dialect;
    private String label;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<ScopeBucket> scopeBuckets = new ArrayList<>();

    /**
     * @param label what to call the record until its id is known, e.g. {@code [[buckets]] #2}
     */
    public RecordReader(Map<String, ?> record, Locator locator, Dialect dialect, String label) {
        this.record = record;
        this.locator = locator;
        this.dialect = dialect;
        this.label = label;
    }

    /** Every problem found, each {@code where: record: what}; non-empty means the record was rejected. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Things worth an operator's attention that did not stop the record from being used. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The buckets the record's scopes name. */
    public List<ScopeBucket> scopeBuckets() {
        return List.copyOf(scopeBuckets);
    }

    /** What the record is called in messages: {@code bucket "b"} once its id is read. */
    public String label() {
        return label;
    }

    /** Where the record itself is. */
    public String origin() {
        return locator.at(List.of());
    }

    /** Problem message at the record, for rules the caller adds (duplicates, id mismatches). */
    public String problemAtRecord(String message) {
        return origin() + ": " + label + ": " + message;
    }

    /** The record as a bucket, or {@code null} when it has problems. */
    public BucketConfig bucket() {
        Fields f = new Fields(record, List.of(), BUCKET_KEYS);
        String name = f.requiredString("name");
        if (name != null) {
            label = "bucket \"" + name + "\"";
            f.label = label;
            checkBucketName(f, name);
        }
        String backendType = f.requiredString("backend_type");
        String backendPrefix = f.optionalString("backend_prefix");
        Boolean anonymous = f.requiredBoolean("anonymous_access");
        List<String> allowedRoles = f.stringList("allowed_roles");
        Map<String, String> options = backendOptions(f);
        List<CorsRule> cors = cors(f);
        f.warnUnknownKeys();
        if (name == null || backendType == null || anonymous == null || f.failed()) {
            return null;
        }
        return new BucketConfig(name, backendType, backendPrefix, anonymous, allowedRoles, options, cors);
    }

    /** The record as a role, or {@code null} when it has problems. */
    public RoleConfig role() {
        Fields f = new Fields(record, List.of(), ROLE_KEYS);
        String roleId = f.requiredString("role_id");
        if (roleId != null) {
            label = "role \"" + roleId + "\"";
            f.label = label;
        }
        String name = f.requiredString("name");
        List<String> issuers = f.stringList("trusted_oidc_issuers");
        if (roleId != null && issuers.isEmpty() && !f.failed()) {
            // as in the Rust original: such a role could never be assumed, which is surely not what was meant
            f.problemAtRecord("trusted_oidc_issuers is empty or missing: the role would never accept a token");
        }
        List<String> audiences;
        if (f.raw("required_audiences") != null && f.raw("required_audience") != null) {
            f.problemAt("required_audience", "set required_audiences or the legacy required_audience, not both");
            audiences = List.of();
        } else {
            audiences = f.stringOrList(f.raw("required_audiences") != null ? "required_audiences"
                    : "required_audience");
        }
        List<String> subjects = f.stringList("subject_conditions");
        long maxSession = f.integer("max_session_duration_secs", DEFAULT_MAX_SESSION_DURATION_SECS);
        if (maxSession <= 0) {
            f.problemAt("max_session_duration_secs", "max_session_duration_secs must be positive");
        }
        List<AccessScope> scopes = scopes(f);
        f.warnUnknownKeys();
        if (roleId == null || name == null || f.failed()) {
            return null;
        }
        return new RoleConfig(roleId, name, issuers, audiences, subjects, maxSession, scopes);
    }

    /** The record as a long-lived credential, or {@code null} when it has problems. */
    public StoredCredential credential() {
        Fields f = new Fields(record, List.of(), CREDENTIAL_KEYS);
        String accessKeyId = f.requiredString("access_key_id");
        if (accessKeyId != null) {
            label = "credential \"" + accessKeyId + "\"";
            f.label = label;
        }
        String secret = f.requiredString("secret_access_key");
        String principal = f.requiredString("principal_name");
        Instant createdAt = f.instant("created_at", true);
        Instant expiresAt = f.instant("expires_at", false);
        boolean enabled = f.bool("enabled", true);
        List<AccessScope> scopes = scopes(f);
        f.warnUnknownKeys();
        if (accessKeyId == null || secret == null || principal == null || createdAt == null || f.failed()) {
            return null;
        }
        return new StoredCredential(accessKeyId, secret, principal, createdAt, expiresAt, enabled, scopes);
    }

    private void checkBucketName(Fields f, String name) {
        if (name.contains("/")) {
            f.problemAt("name", "bucket name must not contain '/'");
        } else if (name.contains("*")) {
            // a gateway-mode entry: a pattern of the bucket names it serves
            if (!GATEWAY_PATTERN.matcher(name).matches()) {
                f.problemAt("name", "bucket name pattern \"" + name + "\" may hold only lower-case letters, digits, "
                        + "'.', '-' and '*'");
            }
        } else if (!S3_BUCKET_NAME.matcher(name).matches() || name.contains("..") || IPV4.matcher(name).matches()) {
            f.warningAt("name", "bucket name \"" + name + "\" is not a valid S3 bucket name (3-63 characters: "
                    + "lower-case letters, digits, '.', '-'); path-style requests work, virtual-hosted style and "
                    + "some clients may not");
        }
    }

    private Map<String, String> backendOptions(Fields f) {
        Object value = f.raw("backend_options");
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> table)) {
            f.problemAt("backend_options", "backend_options must be " + dialect.table + ", found "
                    + typeName(value, dialect));
            return Map.of();
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : table.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (v instanceof String s) {
                options.put(key, s);
            } else if (v instanceof Boolean || isInteger(v) || v instanceof Double || v instanceof BigDecimal) {
                // object_store's options are strings; `skip_signature = true` is what people write anyway
                options.put(key, String.valueOf(v));
            } else {
                f.problemAtPath(List.of("backend_options", key), "backend_options." + key
                        + " must be a string, boolean or number, found " + typeName(v, dialect));
            }
        }
        return options;
    }

    /**
     * {@code cors}: one rule as a table, or several as an array of tables; an empty array switches the gateway's
     * default rules off for the bucket. Absent: {@code null}, the default rules apply.
     */
    private List<CorsRule> cors(Fields owner) {
        Object value = owner.raw("cors");
        if (value == null) {
            return null;
        }
        List<?> list = value instanceof Map<?, ?> ? List.of(value) : value instanceof List<?> l ? l : null;
        if (list == null) {
            owner.problemAt("cors", "cors must be " + dialect.table + " or " + dialect.tableArray("cors")
                    + ", found " + typeName(value, dialect));
            return null;
        }
        List<CorsRule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            List<Object> path = value instanceof Map<?, ?> ? List.of("cors") : List.of("cors", i);
            if (!(list.get(i) instanceof Map<?, ?> table)) {
                owner.problemAtPath(path, "cors[" + i + "] must be " + dialect.table + ", found "
                        + typeName(list.get(i), dialect));
                continue;
            }
            Fields f = new Fields(table, path, CORS_KEYS);
            f.label = owner.label + ": cors rule #" + (i + 1);
            List<String> origins = f.stringList("allowed_origins");
            List<String> methods = f.stringList("allowed_methods");
            List<String> headers = f.stringList("allowed_headers");
            List<String> expose = f.stringList("expose_headers");
            long maxAge = f.integer("max_age_seconds", -1);
            String id = f.optionalString("id");
            f.warnUnknownKeys();
            if (f.failed()) {
                continue;
            }
            if (maxAge < 0 && f.raw("max_age_seconds") != null) {
                f.problemAt("max_age_seconds", "max_age_seconds must not be negative");
                continue;
            }
            try {
                rules.add(new CorsRule(origins, methods, headers, expose, maxAge, id));
            } catch (IllegalArgumentException e) {
                f.problemAtRecord(e.getMessage());
            }
        }
        return rules;
    }

    private List<AccessScope> scopes(Fields owner) {
        Object value = owner.raw("allowed_scopes");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            owner.problemAt("allowed_scopes", "allowed_scopes must be " + dialect.tableArray("allowed_scopes")
                    + ", found " + typeName(value, dialect));
            return List.of();
        }
        List<AccessScope> scopes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            List<Object> path = List.of("allowed_scopes", i);
            String scopeLabel = owner.label + ": allowed_scopes #" + (i + 1);
            if (!(list.get(i) instanceof Map<?, ?> table)) {
                owner.problemAtPath(path, "allowed_scopes[" + i + "] must be " + dialect.table + ", found "
                        + typeName(list.get(i), dialect));
                continue;
            }
            Fields f = new Fields(table, path, SCOPE_KEYS);
            f.label = scopeLabel;
            String bucket = f.requiredString("bucket");
            List<String> prefixes = f.stringList("prefixes");
            Set<Action> actions = actions(f);
            f.warnUnknownKeys();
            if (f.failed()) {
                continue; // the owner is rejected with it
            }
            scopeBuckets.add(new ScopeBucket(locator.at(path) + ": " + scopeLabel, bucket));
            scopes.add(new AccessScope(bucket, prefixes, actions));
        }
        return scopes;
    }

    private Set<Action> actions(Fields f) {
        if (f.raw("actions") == null) {
            f.problemAtRecord("actions is required (for example actions = [\"get_object\", \"list_bucket\"])");
            return Set.of();
        }
        List<String> names = f.stringList("actions");
        Set<Action> actions = EnumSet.noneOf(Action.class);
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            Action.fromWireName(name).ifPresentOrElse(actions::add, () -> unknown.add("'" + name + "'"));
        }
        if (!unknown.isEmpty()) {
            f.problemAt("actions", "unknown action" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (known: " + Arrays.stream(Action.values()).map(Action::wireName)
                            .collect(Collectors.joining(", ")) + ")");
        }
        return actions;
    }

    /** Typed access to one map of the record, recording problems. */
    private final class Fields {
        final Map<?, ?> table;
        final List<Object> base;
        final Set<String> known;
        String label = RecordReader.this.label;
        private final int problemsBefore = problems.size();

        Fields(Map<?, ?> table, List<Object> base, Set<String> known) {
            this.table = table;
            this.base = base;
            this.known = known;
        }

        boolean failed() {
            return problems.size() > problemsBefore;
        }

        Object raw(String key) {
            return table.get(key);
        }

        private String where(List<Object> relative) {
            List<Object> path = new ArrayList<>(base);
            path.addAll(relative);
            return locator.at(path);
        }

        void problemAtPath(List<Object> relative, String message) {
            problems.add(where(relative) + ": " + label + ": " + message);
        }

        void problemAt(String key, String message) {
            problemAtPath(List.of(key), message);
        }

        void problemAtRecord(String message) {
            problemAtPath(List.of(), message);
        }

        void warningAt(String key, String message) {
            warnings.add(where(List.of(key)) + ": " + label + ": " + message);
        }

        void warnUnknownKeys() {
            for (Object key : table.keySet()) {
                if (!known.contains(String.valueOf(key))) {
                    warningAt(String.valueOf(key), "unknown key '" + key + "' ignored");
                }
            }
        }

        private void wrongType(String key, String expected, Object value) {
            problemAt(key, key + " must be " + expected + ", found " + typeName(value, dialect));
        }

        String requiredString(String key) {
            Object value = raw(key);
            if (value == null) {
                problemAtRecord(key + " is required");
                return null;
            }
            if (!(value instanceof String s)) {
                wrongType(key, "a string", value);
                return null;
            }
            if (s.isBlank()) {
                problemAt(key, key + " must not be empty");
                return null;
            }
            return s;
        }

        String optionalString(String key) {
            Object value = raw(key);
            if (value == null || value instanceof String) {
                return (String) value;
            }
            wrongType(key, "a string", value);
            return null;
        }

        Boolean requiredBoolean(String key) {
            Object value = raw(key);
            if (value == null) {
                problemAtRecord(key + " is required (true or false)");
                return null;
            }
            if (!(value instanceof Boolean b)) {
                wrongType(key, "a boolean (true or false)", value);
                return null;
            }
            return b;
        }

        boolean bool(String key, boolean defaultValue) {
            Object value = raw(key);
            if (value == null) {
                return defaultValue;
            }
            if (!(value instanceof Boolean b)) {
                wrongType(key, "a boolean (true or false)", value);
                return defaultValue;
            }
            return b;
        }

        long integer(String key, long defaultValue) {
            Object value = raw(key);
            if (value == null) {
                return defaultValue;
            }
            if (!(value instanceof Long || value instanceof Integer)) {
                wrongType(key, "an integer", value);
                return defaultValue;
            }
            return ((Number) value).longValue();
        }

        List<String> stringList(String key) {
            Object value = raw(key);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> array)) {
                wrongType(key, "an array of strings", value);
                return List.of();
            }
            List<String> result = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                Object element = array.get(i);
                if (element instanceof String s) {
                    result.add(s);
                } else {
                    problemAt(key, key + "[" + i + "] must be a string, found " + typeName(element, dialect));
                }
            }
            return result;
        }

        List<String> stringOrList(String key) {
            Object value = raw(key);
            if (value instanceof String s) {
                return List.of(s);
            }
            if (value == null || value instanceof List) {
                return stringList(key);
            }
            wrongType(key, "a string or an array of strings", value);
            return List.of();
        }

        /** An RFC 3339 date-time, as a TOML offset date-time or a string. */
        Instant instant(String key, boolean required) {
            Object value = raw(key);
            if (value == null) {
                if (required) {
                    problemAtRecord(key + " is required (an RFC 3339 date-time such as 2025-01-01T00:00:00Z)");
                }
                return null;
            }
            if (value instanceof OffsetDateTime t) {
                return t.toInstant();
            }
            if (value instanceof String s) {
                try {
                    return parseRfc3339(s);
                } catch (DateTimeParseException e) {
                    problemAt(key, key + " is not an RFC 3339 date-time with an offset (such as "
                            + "2025-01-01T00:00:00Z)");
                    return null;
                }
            }
            if (value instanceof LocalDateTime || value instanceof LocalDate) {
                // which zone was meant is a guess we won't make for an expiry date
                problemAt(key, key + " has no UTC offset; write it as 2025-01-01T00:00:00Z or with +hh:mm");
                return null;
            }
            wrongType(key, "an RFC 3339 date-time", value);
            return null;
        }
    }

    /** An RFC 3339 date-time with an offset; a space may separate date and time, as RFC 3339 and TOML allow. */
    public static Instant parseRfc3339(String s) {
        String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        return OffsetDateTime.parse(iso.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    private static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof BigInteger;
    }

    /** How a value's type is named in messages, in the words of the source format. */
    public static String typeName(Object value, Dialect dialect) {
        if (value instanceof String) {
            return "a string";
        } else if (isInteger(value)) {
            return "an integer";
        } else if (value instanceof Double || value instanceof BigDecimal) {
            return "a float";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof OffsetDateTime) {
            return "a date-time";
        } else if (value instanceof LocalDateTime) {
            return "a local date-time";
        } else if (value instanceof LocalDate) {
            return "a date";
        } else if (value instanceof LocalTime) {
            return "a time";
        } else if (value instanceof List) {
            return "an array";
        } else if (value instanceof Map) {
            return dialect.table;
        }
        return value == null ? (dialect == Dialect.JSON ? "null" : "nothing") : value.getClass().getSimpleName();
    }
}
