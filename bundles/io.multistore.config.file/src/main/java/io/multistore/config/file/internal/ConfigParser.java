package io.multistore.config.file.internal;

import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
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
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Turns multistore's {@code config.toml} (and an optional STS file holding more {@code [[roles]]} and
 * {@code [[credentials]]}) into a {@link ConfigSnapshot}, or fails with every problem found, each as
 * {@code file:line: what is wrong}.
 * <p>
 * Strictness follows the Rust original where it has an opinion (required keys, duplicate ids, roles without a
 * trusted issuer) and is lenient where an operator's file would otherwise break for no good reason: unknown keys are
 * warned about and ignored (serde ignores them too), {@code backend_options} values may be TOML booleans or numbers
 * (stringified), and bucket names that S3 would reject are only warned about — path-style requests reach any name
 * without a {@code /}, and the Rust original accepts them. Messages name keys and ids, never values, so a secret
 * can't end up in a log through a validation error.
 * <p>
 * Not thread-safe; one instance parses one pair of files.
 */
final class ConfigParser {

    private static final Set<String> MAIN_KEYS = Set.of("buckets", "roles", "credentials", "owner_id",
            "owner_display_name");
    private static final Set<String> STS_KEYS = Set.of("roles", "credentials");
    private static final Set<String> BUCKET_KEYS = Set.of("name", "backend_type", "backend_prefix",
            "anonymous_access", "allowed_roles", "backend_options");
    private static final Set<String> ROLE_KEYS = Set.of("role_id", "name", "trusted_oidc_issuers",
            "required_audiences", "required_audience", "subject_conditions", "max_session_duration_secs",
            "allowed_scopes");
    private static final Set<String> CREDENTIAL_KEYS = Set.of("access_key_id", "secret_access_key",
            "principal_name", "created_at", "expires_at", "enabled", "allowed_scopes");
    private static final Set<String> SCOPE_KEYS = Set.of("bucket", "prefixes", "actions");

    static final long DEFAULT_MAX_SESSION_DURATION_SECS = 3600;

    /** S3's rules for bucket names (virtual-host style needs them; path style does not). */
    private static final Pattern S3_BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** One configuration file's name (as shown in messages) and text. */
    record Source(String name, String text) {
    }

    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, BucketConfig> buckets = new LinkedHashMap<>();
    private final Map<String, RoleConfig> roles = new LinkedHashMap<>();
    private final Map<String, StoredCredential> credentials = new LinkedHashMap<>();
    /** Where each id was defined, {@code file:line}, for duplicate messages. */
    private final Map<String, String> bucketOrigins = new LinkedHashMap<>();
    private final Map<String, String> roleOrigins = new LinkedHashMap<>();
    private final Map<String, String> credentialOrigins = new LinkedHashMap<>();
    /** Scope buckets to check once every bucket is known: message prefix → bucket. */
    private final List<String[]> scopeBucketRefs = new ArrayList<>();

    private ConfigParser() {
    }

    /**
     * @param sts the STS file, or {@code null} if there is none
     * @throws ConfigFileException listing every problem in either file
     */
    static ConfigSnapshot parse(Source main, Source sts) {
        ConfigParser parser = new ConfigParser();
        parser.parseFile(main, false);
        if (sts != null) {
            parser.parseFile(sts, true);
        }
        return parser.finish();
    }

    private ConfigSnapshot finish() {
        if (!problems.isEmpty()) {
            throw new ConfigFileException(problems);
        }
        for (Map.Entry<String, String> e : bucketOrigins.entrySet()) {
            for (String role : buckets.get(e.getKey()).allowedRoles()) {
                if (!roles.containsKey(role)) {
                    warnings.add(e.getValue() + ": bucket \"" + e.getKey() + "\": allowed_roles names role \"" + role
                            + "\", which is not defined");
                }
            }
        }
        for (String[] ref : scopeBucketRefs) {
            String bucket = ref[1];
            if (!bucket.equals("*") && !bucket.contains("{") && !buckets.containsKey(bucket)) {
                warnings.add(ref[0] + ": scope names bucket \"" + bucket + "\", which is not defined");
            }
        }
        return new ConfigSnapshot(buckets, roles, credentials, warnings);
    }

    // ---- files ----

    private void parseFile(Source source, boolean sts) {
        String text = source.text();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            for (TomlParseError error : toml.errors()) {
                problem(source.name(), error.position(), "invalid TOML: " + tomlMessage(error));
            }
            return;
        }
        for (String key : toml.keySet()) {
            TomlPosition pos = toml.inputPositionOf(List.of(key));
            if (sts && key.equals("buckets")) {
                problem(source.name(), pos, "[[buckets]] belong in the main configuration file, not the STS file");
            } else if (!(sts ? STS_KEYS : MAIN_KEYS).contains(key)) {
                warning(source.name(), pos, "unknown key '" + key + "' ignored");
            }
        }
        if (!sts) {
            for (Entry e : entries(source.name(), toml, "buckets")) {
                bucket(e);
            }
        }
        for (Entry e : entries(source.name(), toml, "roles")) {
            role(e);
        }
        for (Entry e : entries(source.name(), toml, "credentials")) {
            credential(e);
        }
    }

    /** One table of an array of tables, with where it is. */
    private record Entry(String file, TomlTable table, TomlPosition position, int index) {
    }

    private List<Entry> entries(String file, TomlTable parent, String key) {
        Object value = parent.get(List.of(key));
        if (value == null) {
            return List.of();
        }
        TomlPosition pos = parent.inputPositionOf(List.of(key));
        if (!(value instanceof TomlArray array)) {
            problem(file, pos, key + " must be an array of tables ([[" + key + "]]), found " + typeName(value));
            return List.of();
        }
        List<Entry> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object element = array.get(i);
            TomlPosition elementPos = orElse(array.inputPositionOf(i), pos);
            if (element instanceof TomlTable table) {
                result.add(new Entry(file, table, elementPos, i));
            } else {
                problem(file, elementPos, key + "[" + i + "] must be a table, found " + typeName(element));
            }
        }
        return result;
    }

    // ---- records ----

    private void bucket(Entry entry) {
        Fields f = new Fields(entry, "[[buckets]] #" + (entry.index() + 1), BUCKET_KEYS);
        String name = f.requiredString("name");
        if (name != null) {
            f.label = "bucket \"" + name + "\"";
            checkBucketName(f, name);
        }
        String backendType = f.requiredString("backend_type");
        String backendPrefix = f.optionalString("backend_prefix");
        Boolean anonymous = f.requiredBoolean("anonymous_access");
        List<String> allowedRoles = f.stringList("allowed_roles");
        Map<String, String> options = backendOptions(f);
        f.warnUnknownKeys();
        if (name == null || backendType == null || anonymous == null || f.failed()) {
            return;
        }
        String origin = f.origin();
        String previous = bucketOrigins.putIfAbsent(name, origin);
        if (previous != null) {
            f.problemAtEntry("duplicate bucket name \"" + name + "\" (first defined at " + previous + ")");
            return;
        }
        buckets.put(name, new BucketConfig(name, backendType, backendPrefix, anonymous, allowedRoles, options));
    }

    private void checkBucketName(Fields f, String name) {
        if (name.contains("/")) {
            f.problemAt("name", "bucket name must not contain '/'");
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
        if (!(value instanceof TomlTable table)) {
            f.problemAt("backend_options", "backend_options must be a table, found " + typeName(value));
            return Map.of();
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : table.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s) {
                options.put(e.getKey(), s);
            } else if (v instanceof Boolean || v instanceof Long || v instanceof Double) {
                // object_store's options are strings; `skip_signature = true` is what people write anyway
                options.put(e.getKey(), String.valueOf(v));
            } else {
                TomlPosition pos = orElse(table.inputPositionOf(List.of(e.getKey())), f.entry.position());
                f.problem(pos, "backend_options." + e.getKey() + " must be a string, boolean or number, found "
                        + typeName(v));
            }
        }
        return options;
    }

    private void role(Entry entry) {
        Fields f = new Fields(entry, "[[roles]] #" + (entry.index() + 1), ROLE_KEYS);
        String roleId = f.requiredString("role_id");
        if (roleId != null) {
            f.label = "role \"" + roleId + "\"";
        }
        String name = f.requiredString("name");
        List<String> issuers = f.stringList("trusted_oidc_issuers");
        if (roleId != null && issuers.isEmpty() && !f.failed()) {
            // as in the Rust original: such a role could never be assumed, which is surely not what was meant
            f.problemAtEntry("trusted_oidc_issuers is empty or missing: the role would never accept a token");
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
            return;
        }
        String previous = roleOrigins.putIfAbsent(roleId, f.origin());
        if (previous != null) {
            f.problemAtEntry("duplicate role_id \"" + roleId + "\" (first defined at " + previous + ")");
            return;
        }
        roles.put(roleId, new RoleConfig(roleId, name, issuers, audiences, subjects, maxSession, scopes));
    }

    private void credential(Entry entry) {
        Fields f = new Fields(entry, "[[credentials]] #" + (entry.index() + 1), CREDENTIAL_KEYS);
        String accessKeyId = f.requiredString("access_key_id");
        if (accessKeyId != null) {
            f.label = "credential \"" + accessKeyId + "\"";
        }
        String secret = f.requiredString("secret_access_key");
        String principal = f.requiredString("principal_name");
        Instant createdAt = f.instant("created_at", true);
        Instant expiresAt = f.instant("expires_at", false);
        boolean enabled = f.bool("enabled", true);
        List<AccessScope> scopes = scopes(f);
        f.warnUnknownKeys();
        if (accessKeyId == null || secret == null || principal == null || createdAt == null || f.failed()) {
            return;
        }
        String previous = credentialOrigins.putIfAbsent(accessKeyId, f.origin());
        if (previous != null) {
            f.problemAtEntry("duplicate access_key_id \"" + accessKeyId + "\" (first defined at " + previous + ")");
            return;
        }
        credentials.put(accessKeyId,
                new StoredCredential(accessKeyId, secret, principal, createdAt, expiresAt, enabled, scopes));
    }

    private List<AccessScope> scopes(Fields owner) {
        List<AccessScope> scopes = new ArrayList<>();
        for (Entry e : entries(owner.entry.file(), owner.entry.table(), "allowed_scopes")) {
            Fields f = new Fields(e, owner.label + ": allowed_scopes #" + (e.index() + 1), SCOPE_KEYS);
            String bucket = f.requiredString("bucket");
            List<String> prefixes = f.stringList("prefixes");
            Set<Action> actions = actions(f);
            f.warnUnknownKeys();
            if (f.failed()) {
                continue; // the owner sees the problem too and is left out
            }
            scopeBucketRefs.add(new String[] {f.origin() + ": " + f.label, bucket});
            scopes.add(new AccessScope(bucket, prefixes, actions));
        }
        return scopes;
    }

    private Set<Action> actions(Fields f) {
        if (f.raw("actions") == null) {
            f.problemAtEntry("actions is required (for example actions = [\"get_object\", \"list_bucket\"])");
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

    // ---- typed access to one table, recording problems ----

    private final class Fields {
        final Entry entry;
        final Set<String> known;
        String label;
        private final int problemsBefore;

        Fields(Entry entry, String label, Set<String> known) {
            this.entry = entry;
            this.label = label;
            this.known = known;
            this.problemsBefore = problems.size();
        }

        boolean failed() {
            return problems.size() > problemsBefore;
        }

        String origin() {
            return entry.file() + ":" + entry.position().line();
        }

        Object raw(String key) {
            return entry.table().get(List.of(key));
        }

        TomlPosition positionOf(String key) {
            return orElse(entry.table().inputPositionOf(List.of(key)), entry.position());
        }

        void problem(TomlPosition pos, String message) {
            ConfigParser.this.problem(entry.file(), pos, label + ": " + message);
        }

        void problemAt(String key, String message) {
            problem(positionOf(key), message);
        }

        void problemAtEntry(String message) {
            problem(entry.position(), message);
        }

        void warningAt(String key, String message) {
            warning(entry.file(), positionOf(key), label + ": " + message);
        }

        void warnUnknownKeys() {
            for (String key : entry.table().keySet()) {
                if (!known.contains(key)) {
                    warningAt(key, "unknown key '" + key + "' ignored");
                }
            }
        }

        private void wrongType(String key, String expected, Object value) {
            problemAt(key, key + " must be " + expected + ", found " + typeName(value));
        }

        String requiredString(String key) {
            Object value = raw(key);
            if (value == null) {
                problemAtEntry(key + " is required");
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
                problemAtEntry(key + " is required (true or false)");
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
            if (!(value instanceof Long l)) {
                wrongType(key, "an integer", value);
                return defaultValue;
            }
            return l;
        }

        List<String> stringList(String key) {
            Object value = raw(key);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof TomlArray array)) {
                wrongType(key, "an array of strings", value);
                return List.of();
            }
            List<String> result = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                Object element = array.get(i);
                if (element instanceof String s) {
                    result.add(s);
                } else {
                    problemAt(key, key + "[" + i + "] must be a string, found " + typeName(element));
                }
            }
            return result;
        }

        List<String> stringOrList(String key) {
            Object value = raw(key);
            if (value instanceof String s) {
                return List.of(s);
            }
            if (value == null || value instanceof TomlArray) {
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
                    problemAtEntry(key + " is required (an RFC 3339 date-time such as 2025-01-01T00:00:00Z)");
                }
                return null;
            }
            if (value instanceof OffsetDateTime t) {
                return t.toInstant();
            }
            if (value instanceof String s) {
                try {
                    // RFC 3339 allows a space between date and time, as TOML does
                    String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11)
                            : s;
                    return OffsetDateTime.parse(iso.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
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

    // ---- helpers ----

    private void problem(String file, TomlPosition pos, String message) {
        problems.add(file + ":" + (pos == null ? 1 : pos.line()) + ": " + message);
    }

    private void warning(String file, TomlPosition pos, String message) {
        warnings.add(file + ":" + (pos == null ? 1 : pos.line()) + ": " + message);
    }

    private static TomlPosition orElse(TomlPosition pos, TomlPosition fallback) {
        return pos != null ? pos : fallback;
    }

    /** tomlj appends "(line l, column c)"; the position is reported our way. */
    private static String tomlMessage(TomlParseError error) {
        String message = error.getMessage();
        TomlPosition pos = error.position();
        String suffix = " (" + pos + ")";
        if (message.endsWith(suffix)) {
            message = message.substring(0, message.length() - suffix.length());
        }
        return message + " (column " + pos.column() + ")";
    }

    static String typeName(Object value) {
        if (value instanceof String) {
            return "a string";
        } else if (value instanceof Long) {
            return "an integer";
        } else if (value instanceof Double) {
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
        } else if (value instanceof TomlArray) {
            return "an array";
        } else if (value instanceof TomlTable) {
            return "a table";
        }
        return value == null ? "nothing" : value.getClass().getSimpleName();
    }
}
