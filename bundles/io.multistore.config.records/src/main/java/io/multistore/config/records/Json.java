package io.multistore.config.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.multistore.api.AccessScope;
import io.multistore.api.Action;
import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Config records as JSON: the form the HTTP control plane serves, DynamoDB keeps in {@code config_json} and
 * PostgreSQL in its JSONB columns, with the TOML field names (ARCHITECTURE §2). Parsing yields plain maps, lists,
 * strings, booleans, {@code Long}/{@code Double} numbers and {@code null}, for {@link RecordReader}; it also notes the
 * line of every value, so a JSON file's messages can point at a line as a TOML file's do.
 */
public final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            // a config record is small; a document that is not is a mistake or an attack
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                    .maxStringLength(1 << 20).build())
            .build();

    private Json() {
    }

    /** A parsed document: its root value and the line each value starts on, by path. */
    public record Document(Object root, Map<List<Object>, Integer> lines) {

        /**
         * Where a value is: {@code source:line} of the value at {@code path}, or of the nearest enclosing value
         * whose line is known.
         */
        public RecordReader.Locator locator(String source, List<Object> base) {
            return path -> {
                List<Object> full = new ArrayList<>(base);
                full.addAll(path);
                while (true) {
                    Integer line = lines.get(full);
                    if (line != null || full.isEmpty()) {
                        return source + ":" + (line == null ? 1 : line);
                    }
                    full = full.subList(0, full.size() - 1);
                }
            };
        }
    }

    /** Malformed JSON; the message says where and what, never the document's values. */
    public static final class SyntaxException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Parses one JSON document. */
    public static Document parse(String text) {
        Map<List<Object>, Integer> lines = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new SyntaxException("empty document", null);
            }
            Object root = value(parser, new ArrayList<>(), lines);
            if (parser.nextToken() != null) {
                throw new SyntaxException("line " + parser.currentLocation().getLineNr()
                        + ": unexpected content after the document", null);
            }
            return new Document(root, lines);
        } catch (JsonProcessingException e) {
            // the original message quotes the offending text, which may be part of a secret: keep only the position
            String what = e.getOriginalMessage();
            int quote = what == null ? -1 : what.indexOf('\'');
            throw new SyntaxException("line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": invalid JSON" + (quote > 0 ? ": " + what.substring(0, quote).trim() : ""), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a document that must be an object: one record. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object root = parse(text).root();
        if (!(root instanceof Map)) {
            throw new SyntaxException("expected a JSON object, found " + RecordReader.typeName(root,
                    RecordReader.Dialect.JSON), null);
        }
        return (Map<String, Object>) root;
    }

    private static Object value(JsonParser parser, List<Object> path, Map<List<Object>, Integer> lines)
            throws IOException {
        lines.put(List.copyOf(path), parser.currentTokenLocation().getLineNr());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    if (map.containsKey(name)) {
                        throw new SyntaxException("line " + parser.currentLocation().getLineNr()
                                + ": duplicate key '" + name + "'", null);
                    }
                    path.add(name);
                    map.put(name, value(parser, path, lines));
                    path.remove(path.size() - 1);
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    path.add(list.size());
                    list.add(value(parser, path, lines));
                    path.remove(path.size() - 1);
                }
                return list;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? parser.getBigIntegerValue()
                        : parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new SyntaxException("line " + parser.currentLocation().getLineNr()
                    + ": unexpected " + token, null);
        }
    }

    // ---- writing ----

    /** A bucket as its JSON record. */
    public static Map<String, Object> toMap(BucketConfig b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", b.name());
        m.put("backend_type", b.backendType());
        if (!b.backendPrefix().isEmpty()) {
            m.put("backend_prefix", b.backendPrefix());
        }
        m.put("anonymous_access", b.anonymousAccess());
        if (!b.allowedRoles().isEmpty()) {
            m.put("allowed_roles", b.allowedRoles());
        }
        if (!b.backendOptions().isEmpty()) {
            m.put("backend_options", new java.util.TreeMap<>(b.backendOptions()));
        }
        if (b.cors() != null) {
            List<Object> rules = new ArrayList<>();
            for (io.multistore.api.CorsRule rule : b.cors()) {
                Map<String, Object> r = new LinkedHashMap<>();
                if (rule.id() != null) {
                    r.put("id", rule.id());
                }
                r.put("allowed_origins", rule.allowedOrigins());
                r.put("allowed_methods", rule.allowedMethods());
                r.put("allowed_headers", rule.allowedHeaders());
                r.put("expose_headers", rule.exposeHeaders());
                if (rule.maxAgeSeconds() >= 0) {
                    r.put("max_age_seconds", rule.maxAgeSeconds());
                }
                rules.add(r);
            }
            m.put("cors", rules);
        }
        return m;
    }

    /** A role as its JSON record. */
    public static Map<String, Object> toMap(RoleConfig r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role_id", r.roleId());
        m.put("name", r.name());
        m.put("trusted_oidc_issuers", r.trustedOidcIssuers());
        m.put("required_audiences", r.requiredAudiences());
        m.put("subject_conditions", r.subjectConditions());
        m.put("max_session_duration_secs", r.maxSessionDurationSecs());
        m.put("allowed_scopes", scopes(r.allowedScopes()));
        return m;
    }

    /** A credential as its JSON record (with its secret: this is what the store holds). */
    public static Map<String, Object> toMap(StoredCredential c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_key_id", c.accessKeyId());
        m.put("secret_access_key", c.secretAccessKey());
        m.put("principal_name", c.principalName());
        m.put("created_at", c.createdAt().toString());
        if (c.expiresAt() != null) {
            m.put("expires_at", c.expiresAt().toString());
        }
        m.put("enabled", c.enabled());
        m.put("allowed_scopes", scopes(c.allowedScopes()));
        return m;
    }

    private static List<Object> scopes(List<AccessScope> scopes) {
        List<Object> list = new ArrayList<>();
        for (AccessScope s : scopes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bucket", s.bucket());
            m.put("prefixes", s.prefixes());
            m.put("actions", s.actions().stream().sorted().map(Action::wireName).toList());
            list.add(m);
        }
        return list;
    }

    /** Writes maps, lists, strings, numbers, booleans and nulls as compact JSON. */
    public static String write(Object value) {
        return write(value, false);
    }

    /** As {@link #write(Object)}, indented for people when {@code pretty}. */
    public static String write(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Iterable<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Long || value instanceof Integer) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number n) {
            g.writeNumber(n.toString());
        } else {
            g.writeString(value.toString());
        }
    }
}
