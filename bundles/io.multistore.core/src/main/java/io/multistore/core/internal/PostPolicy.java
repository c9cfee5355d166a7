package io.multistore.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A browser POST form's policy (S3's "POST policy"): a base64 JSON document with an {@code expiration} and
 * {@code conditions} that every form field must meet. Conditions are {@code {"field": "value"}} (exact),
 * {@code ["eq", "$field", "value"]}, {@code ["starts-with", "$field", "prefix"]} and
 * {@code ["content-length-range", min, max]}. Field names are case-insensitive, values case-sensitive, as in S3.
 */
final class PostPolicy {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(64 * 1024)
                    .build())
            .build();

    /** Form fields no condition needs to name (S3's rule), besides {@code x-ignore-*}. */
    private static final Set<String> EXEMPT = Set.of("policy", "x-amz-signature", "file");

    /** One condition on a field (lower case, without {@code $}); {@code text} is how S3 quotes it in errors. */
    record Condition(boolean prefix, String field, String value, String text) {
    }

    private final Instant expiration;
    private final List<Condition> conditions;
    private final long minLength;
    private final long maxLength;

    private PostPolicy(Instant expiration, List<Condition> conditions, long minLength, long maxLength) {
        this.expiration = expiration;
        this.conditions = conditions;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /** The smallest file the policy allows, 0 without {@code content-length-range}. */
    long minLength() {
        return minLength;
    }

    /** The largest file the policy allows, {@link Long#MAX_VALUE} without {@code content-length-range}. */
    long maxLength() {
        return maxLength;
    }

    /**
     * @param base64 the {@code policy} form field
     * @throws S3Exception InvalidPolicyDocument when it is not base64 of a valid policy document
     */
    static PostPolicy parse(String base64) {
        byte[] json;
        try {
            json = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid Policy: Invalid Base64 encoding.");
        }
        Instant expiration = null;
        List<Condition> conditions = null;
        long min = 0;
        long max = Long.MAX_VALUE;
        try (JsonParser p = JSON.createParser(new String(json, StandardCharsets.UTF_8))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("Invalid Policy: the policy must be a JSON object.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("expiration".equals(name)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw invalid("Invalid Policy: Invalid 'expiration' value.");
                    }
                    expiration = instant(p.getText());
                } else if ("conditions".equals(name)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw invalid("Invalid Policy: Invalid 'conditions' value: an array is expected.");
                    }
                    conditions = new ArrayList<>();
                    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                        if (t == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String field = p.currentName();
                                String exact = scalar(p, p.nextToken());
                                conditions.add(new Condition(false, field.toLowerCase(Locale.ROOT), exact,
                                        "[\"eq\", \"$" + field + "\", \"" + exact + "\"]"));
                            }
                        } else if (t == JsonToken.START_ARRAY) {
                            List<String> items = new ArrayList<>(3);
                            for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                                items.add(scalar(p, i));
                            }
                            String text = items.stream().map(s -> "\"" + s + "\"")
                                    .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
                            if (items.size() != 3) {
                                throw invalid("Invalid Policy: Invalid Condition: " + text);
                            }
                            String op = items.get(0).toLowerCase(Locale.ROOT);
                            if (op.equals("content-length-range")) {
                                min = length(items.get(1), text);
                                max = length(items.get(2), text);
                                if (min > max) {
                                    throw invalid("Invalid Policy: Invalid content-length-range: " + text);
                                }
                                continue;
                            }
                            if (!(op.equals("eq") || op.equals("starts-with")) || !items.get(1).startsWith("$")) {
                                throw invalid("Invalid Policy: Invalid Condition: " + text);
                            }
                            conditions.add(new Condition(op.equals("starts-with"),
                                    items.get(1).substring(1).toLowerCase(Locale.ROOT), items.get(2), text));
                        } else {
                            throw invalid("Invalid Policy: a condition must be an object or an array.");
                        }
                    }
                } else {
                    p.skipChildren(); // S3 ignores what it does not know
                }
            }
            if (p.nextToken() != null) {
                throw invalid("Invalid Policy: unexpected content after the policy.");
            }
        } catch (IOException e) {
            throw invalid("Invalid Policy: the policy is not valid JSON.");
        }
        if (expiration == null) {
            throw invalid("Invalid Policy: Policy missing expiration.");
        }
        if (conditions == null) {
            throw invalid("Invalid Policy: Policy missing conditions.");
        }
        return new PostPolicy(expiration, List.copyOf(conditions), min, max);
    }

    private static String scalar(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return p.getText();
        }
        throw invalid("Invalid Policy: a condition's values must be strings or numbers.");
    }

    private static long length(String value, String text) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw invalid("Invalid Policy: Invalid content-length-range: " + text);
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("Invalid Policy: Invalid 'expiration' value: '" + text + "'.");
        }
    }

    /**
     * Checks the form against the policy: not expired, every condition met, every field named by one.
     *
     * @param fields the form's fields, names lower case, without {@code file}
     * @throws S3Exception AccessDenied "Invalid according to Policy: ..."
     */
    void check(Map<String, String> fields, String bucket, Instant now) {
        if (!now.isBefore(expiration)) {
            throw denied("Policy expired.");
        }
        Set<String> covered = new HashSet<>();
        for (Condition c : conditions) {
            String actual = c.field().equals("bucket") ? bucket : fields.get(c.field());
            covered.add(c.field());
            if (!meets(c, actual)) {
                throw denied("Policy Condition failed: " + c.text());
            }
        }
        List<String> extra = new ArrayList<>();
        for (String field : fields.keySet()) {
            if (!covered.contains(field) && !EXEMPT.contains(field) && !field.startsWith("x-ignore-")) {
                extra.add(field);
            }
        }
        if (!extra.isEmpty()) {
            throw denied("Extra input fields: " + String.join(", ", extra));
        }
    }

    private static boolean meets(Condition c, String actual) {
        if (actual == null) {
            return false;
        }
        if (!c.prefix()) {
            return actual.equals(c.value());
        }
        if (c.field().equals("content-type")) {
            // S3: each of a comma-separated list of types must start with the prefix
            for (String part : actual.split(",")) {
                if (!part.trim().startsWith(c.value())) {
                    return false;
                }
            }
            return true;
        }
        return actual.startsWith(c.value());
    }

    private static S3Exception invalid(String message) {
        return new S3Exception(S3ErrorCode.InvalidPolicyDocument, message);
    }

    static S3Exception denied(String why) {
        return new S3Exception(S3ErrorCode.AccessDenied, "Invalid according to Policy: " + why);
    }
}
