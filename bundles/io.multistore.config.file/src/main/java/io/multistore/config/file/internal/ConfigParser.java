package io.multistore.config.file.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.config.records.Json;
import io.multistore.config.records.RecordReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Turns multistore's {@code config.toml} (and an optional STS file holding more {@code [[roles]]} and
 * {@code [[credentials]]}) into a {@link ConfigSnapshot}, or fails with every problem found, each as
 * {@code file:line: what is wrong}. A file whose name ends in {@code .json} is read as JSON with the same schema
 * ({@code {"buckets": [...], "roles": [...], "credentials": [...]}}), as the Rust server does.
 * <p>
 * The rules of each record are {@link RecordReader}'s, shared with every other provider; this class adds what only
 * a whole file can check: unknown top-level keys, duplicate ids, and references to roles and buckets that are not
 * defined (warnings: another file or a later edit may define them).
 * <p>
 * Not thread-safe; one instance parses one pair of files.
 */
final class ConfigParser {

    private static final Set<String> MAIN_KEYS = Set.of("buckets", "roles", "credentials", "owner_id",
            "owner_display_name");
    private static final Set<String> STS_KEYS = Set.of("roles", "credentials");

    /** One configuration file's name (as shown in messages) and text. */
    record Source(String name, String text) {
        boolean json() {
            return name.endsWith(".json");
        }
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

    /** One record of a top-level array, as plain values, with where its fields are. */
    private record Entry(Map<String, Object> record, RecordReader.Locator locator, RecordReader.Dialect dialect,
            int index) {
    }

    /** A parsed file: its top-level keys, the entries of each array, and where each key is. */
    private interface Document {
        Set<String> keys();

        String locate(String key);

        List<Entry> entries(String key);
    }

    private void parseFile(Source source, boolean sts) {
        String text = source.text();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Document doc = source.json() ? json(source.name(), text) : toml(source.name(), text);
        if (doc == null) {
            return;
        }
        for (String key : doc.keys()) {
            if (sts && key.equals("buckets")) {
                problems.add(doc.locate(key) + ": [[buckets]] belong in the main configuration file, not the STS "
                        + "file");
            } else if (!(sts ? STS_KEYS : MAIN_KEYS).contains(key)) {
                warnings.add(doc.locate(key) + ": unknown key '" + key + "' ignored");
            }
        }
        if (!sts) {
            doc.entries("buckets").forEach(this::bucket);
        }
        doc.entries("roles").forEach(this::role);
        doc.entries("credentials").forEach(this::credential);
    }

    private Document toml(String file, String text) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            for (TomlParseError error : toml.errors()) {
                problems.add(file + ":" + error.position().line() + ": invalid TOML: " + tomlMessage(error));
            }
            return null;
        }
        return new Document() {
            @Override
            public Set<String> keys() {
                return toml.keySet();
            }

            @Override
            public String locate(String key) {
                return file + ":" + line(toml.inputPositionOf(List.of(key)));
            }

            @Override
            public List<Entry> entries(String key) {
                Object value = toml.get(List.of(key));
                if (value == null) {
                    return List.of();
                }
                if (!(value instanceof TomlArray array)) {
                    problems.add(locate(key) + ": " + key + " must be an array of tables ([[" + key + "]]), found "
                            + RecordReader.typeName(plain(value), RecordReader.Dialect.TOML));
                    return List.of();
                }
                List<Entry> result = new ArrayList<>();
                for (int i = 0; i < array.size(); i++) {
                    Object element = array.get(i);
                    TomlPosition at = orElse(array.inputPositionOf(i), toml.inputPositionOf(List.of(key)));
                    if (element instanceof TomlTable table) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> record = (Map<String, Object>) plain(table);
                        result.add(new Entry(record, tomlLocator(file, table, at), RecordReader.Dialect.TOML, i));
                    } else {
                        problems.add(file + ":" + line(at) + ": " + key + "[" + i + "] must be a table, found "
                                + RecordReader.typeName(plain(element), RecordReader.Dialect.TOML));
                    }
                }
                return result;
            }
        };
    }

    /** Finds a field's line by walking the TOML tree along its path; the nearest known place otherwise. */
    private static RecordReader.Locator tomlLocator(String file, TomlTable record, TomlPosition recordPosition) {
        return path -> {
            TomlPosition pos = recordPosition;
            Object current = record;
            for (Object step : path) {
                TomlPosition next = null;
                if (current instanceof TomlTable t && step instanceof String key) {
                    next = t.inputPositionOf(List.of(key));
                    current = t.get(List.of(key));
                } else if (current instanceof TomlArray a && step instanceof Integer i && i < a.size()) {
                    next = a.inputPositionOf(i);
                    current = a.get(i);
                } else {
                    current = null;
                }
                pos = orElse(next, pos);
            }
            return file + ":" + line(pos);
        };
    }

    /** TOML tables and arrays as maps and lists; other values as tomlj gives them. */
    private static Object plain(Object value) {
        if (value instanceof TomlTable table) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (String key : table.keySet()) {
                map.put(key, plain(table.get(List.of(key))));
            }
            return map;
        }
        if (value instanceof TomlArray array) {
            List<Object> list = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                list.add(plain(array.get(i)));
            }
            return list;
        }
        return value;
    }

    private Document json(String file, String text) {
        Json.Document json;
        try {
            json = Json.parse(text);
        } catch (Json.SyntaxException e) {
            problems.add(file + ":" + e.getMessage().replaceFirst("^line ", ""));
            return null;
        }
        if (!(json.root() instanceof Map<?, ?> root)) {
            problems.add(file + ":1: the configuration must be a JSON object with \"buckets\", \"roles\" and "
                    + "\"credentials\" arrays");
            return null;
        }
        return new Document() {
            @Override
            public Set<String> keys() {
                @SuppressWarnings("unchecked")
                Set<String> keys = (Set<String>) root.keySet();
                return keys;
            }

            @Override
            public String locate(String key) {
                return json.locator(file, List.of()).at(List.of(key));
            }

            @Override
            public List<Entry> entries(String key) {
                Object value = root.get(key);
                if (value == null) {
                    return List.of();
                }
                if (!(value instanceof List<?> list)) {
                    problems.add(locate(key) + ": " + key + " must be an array of objects, found "
                            + RecordReader.typeName(value, RecordReader.Dialect.JSON));
                    return List.of();
                }
                List<Entry> result = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    RecordReader.Locator locator = json.locator(file, List.of(key, i));
                    if (list.get(i) instanceof Map<?, ?> map) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> record = (Map<String, Object>) map;
                        result.add(new Entry(record, locator, RecordReader.Dialect.JSON, i));
                    } else {
                        problems.add(locator.at(List.of()) + ": " + key + "[" + i + "] must be an object, found "
                                + RecordReader.typeName(list.get(i), RecordReader.Dialect.JSON));
                    }
                }
                return result;
            }
        };
    }

    // ---- records ----

    private void bucket(Entry entry) {
        RecordReader reader = reader(entry, "[[buckets]] #" + (entry.index() + 1));
        BucketConfig bucket = collect(reader, reader.bucket());
        if (bucket != null && unique(reader, bucketOrigins, "bucket name", bucket.name())) {
            buckets.put(bucket.name(), bucket);
        }
    }

    private void role(Entry entry) {
        RecordReader reader = reader(entry, "[[roles]] #" + (entry.index() + 1));
        RoleConfig role = collect(reader, reader.role());
        if (role != null && unique(reader, roleOrigins, "role_id", role.roleId())) {
            roles.put(role.roleId(), role);
        }
    }

    private void credential(Entry entry) {
        RecordReader reader = reader(entry, "[[credentials]] #" + (entry.index() + 1));
        StoredCredential credential = collect(reader, reader.credential());
        if (credential != null && unique(reader, credentialOrigins, "access_key_id", credential.accessKeyId())) {
            credentials.put(credential.accessKeyId(), credential);
        }
    }

    private RecordReader reader(Entry entry, String label) {
        return new RecordReader(entry.record(), entry.locator(), entry.dialect(), label);
    }

    private <T> T collect(RecordReader reader, T value) {
        problems.addAll(reader.problems());
        warnings.addAll(reader.warnings());
        if (value != null) {
            reader.scopeBuckets().forEach(ref -> scopeBucketRefs.add(new String[] {ref.where(), ref.bucket()}));
        }
        return value;
    }

    private boolean unique(RecordReader reader, Map<String, String> origins, String what, String id) {
        String previous = origins.putIfAbsent(id, reader.origin());
        if (previous != null) {
            problems.add(reader.problemAtRecord("duplicate " + what + " \"" + id + "\" (first defined at "
                    + previous + ")"));
            return false;
        }
        return true;
    }

    // ---- helpers ----

    private static int line(TomlPosition pos) {
        return pos == null ? 1 : pos.line();
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
}
