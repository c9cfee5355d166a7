package io.multistore.auth.oidc.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The OAuth 2.0 calls of the Entra and Google lanes: a form or JSON {@code POST}, a small JSON answer (read up to
 * {@value #MAX_ANSWER} bytes), errors turned into {@code ServiceUnavailable} with the endpoint's error code in the
 * log detail. Never logs the JWT or a token.
 */
final class FormExchanges {

    static final int MAX_ANSWER = 64 * 1024;

    private final HttpClient http;
    private final Duration timeout;

    FormExchanges(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** {@code POST} of a form; the parsed JSON answer. */
    Map<String, Object> postForm(URI uri, Map<String, String> form, String what) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), what);
    }

    /** {@code POST} of a JSON document with a bearer token; the parsed JSON answer. */
    Map<String, Object> postJson(URI uri, String bearer, Map<String, ?> json, String what) {
        return send(HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(JSONObjectUtils.toJSONString(json))).build(), what);
    }

    private Map<String, Object> send(HttpRequest request, String what) {
        HttpResponse<InputStream> response;
        byte[] answer;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                answer = in.readNBytes(MAX_ANSWER);
            }
        } catch (IOException e) {
            throw failure(what + " at " + request.uri() + " is unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(what + " was interrupted");
        }
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(new String(answer, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw failure(what + " at " + request.uri() + " answered HTTP " + response.statusCode()
                    + " without a JSON document");
        }
        if (response.statusCode() / 100 != 2 || json.containsKey("error")) {
            Object error = json.get("error");
            String code = error instanceof Map<?, ?> m ? String.valueOf(m.get("status")) : String.valueOf(error);
            Object description = json.containsKey("error_description") ? json.get("error_description")
                    : error instanceof Map<?, ?> m ? m.get("message") : null;
            throw failure(what + " at " + request.uri() + " refused the exchange: HTTP " + response.statusCode()
                    + " " + code + (description == null ? "" : " (" + description + ")"));
        }
        return json;
    }

    /** A required string field of an answer. */
    static String string(Map<String, Object> json, String field, String what) {
        Object value = json.get(field);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw failure(what + " answered without " + field);
        }
        return s;
    }

    /** A lifetime in seconds, as a number or a numeric string ({@code expires_in}). */
    static long seconds(Map<String, Object> json, String field, String what) {
        Object value = json.get(field);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw failure(what + " answered without a numeric " + field);
    }

    static S3Exception failure(String detail) {
        return S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null, detail);
    }
}
