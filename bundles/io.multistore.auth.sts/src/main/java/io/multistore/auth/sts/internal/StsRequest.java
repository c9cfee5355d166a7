package io.multistore.auth.sts.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parameters of {@code AssumeRoleWithWebIdentity}, from a query string or a form body (never merged across the
 * two, as multistore reads them).
 *
 * @param durationSeconds empty when absent or not a number (then the default applies, as in multistore)
 */
record StsRequest(String roleArn, String webIdentityToken, String roleSessionName, OptionalLong durationSeconds) {

    static final String ACTION = "AssumeRoleWithWebIdentity";

    @Override
    public String toString() {
        // never print the JWT
        return "StsRequest[roleArn=" + roleArn + ", roleSessionName=" + roleSessionName + ", durationSeconds="
                + durationSeconds + "]";
    }

    /**
     * @return empty when the parameters do not ask for {@code AssumeRoleWithWebIdentity} (not an STS request)
     * @throws StsException InvalidParameterValue when they do but a required parameter is missing
     */
    static Optional<StsRequest> parse(String encoded) throws StsException {
        if (encoded == null || encoded.isEmpty()) {
            return Optional.empty();
        }
        List<String[]> params = decode(encoded);
        if (params == null || !ACTION.equals(first(params, "Action"))) {
            return Optional.empty();
        }
        String role = first(params, "RoleArn");
        if (role == null) {
            throw new StsException(StsException.Code.InvalidParameterValue, "missing RoleArn");
        }
        String token = first(params, "WebIdentityToken");
        if (token == null) {
            throw new StsException(StsException.Code.InvalidParameterValue, "missing WebIdentityToken");
        }
        OptionalLong duration = OptionalLong.empty();
        String d = first(params, "DurationSeconds");
        if (d != null) {
            try {
                duration = OptionalLong.of(Long.parseLong(d.trim()));
            } catch (NumberFormatException e) {
                // multistore ignores a duration it cannot read and uses the default
            }
        }
        return Optional.of(new StsRequest(role, token, first(params, "RoleSessionName"), duration));
    }

    /** Whether the parameters name the action, without decoding the rest (for the route matcher). */
    static boolean mentionsAction(String encoded) {
        return encoded != null && encoded.contains("Action=" + ACTION);
    }

    private static String first(List<String[]> params, String name) {
        for (String[] p : params) {
            if (p[0].equals(name)) {
                return p[1];
            }
        }
        return null;
    }

    /** {@code application/x-www-form-urlencoded} pairs; {@code null} when the encoding is broken. */
    private static List<String[]> decode(String encoded) {
        List<String[]> out = new ArrayList<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.add(new String[] {URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8)});
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return out;
    }
}
