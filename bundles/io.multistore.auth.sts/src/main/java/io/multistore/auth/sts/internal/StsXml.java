package io.multistore.auth.sts.internal;

import io.multistore.api.auth.TemporaryCredential;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;

/** The AWS STS XML documents: {@code AssumeRoleWithWebIdentityResponse} and {@code ErrorResponse}. */
final class StsXml {

    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private StsXml() {
    }

    static byte[] success(TemporaryCredential credential, String sessionToken, String issuer, String audience,
            String requestId) {
        var id = credential.identity();
        StringBuilder x = new StringBuilder(1024 + sessionToken.length()).append(DECLARATION)
                .append("<AssumeRoleWithWebIdentityResponse xmlns=\"").append(NAMESPACE).append("\">")
                .append("<AssumeRoleWithWebIdentityResult>");
        x.append("<Credentials>");
        element(x, "AccessKeyId", credential.accessKeyId());
        element(x, "SecretAccessKey", credential.secretAccessKey());
        element(x, "SessionToken", sessionToken);
        element(x, "Expiration", id.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString());
        x.append("</Credentials>");
        element(x, "SubjectFromWebIdentityToken", id.subject());
        // multistore names the role by its role_id in both fields
        x.append("<AssumedRoleUser>");
        element(x, "AssumedRoleId", id.roleId());
        element(x, "Arn", id.roleId());
        x.append("</AssumedRoleUser>");
        element(x, "Provider", issuer);
        if (audience != null) {
            element(x, "Audience", audience);
        }
        x.append("</AssumeRoleWithWebIdentityResult>");
        x.append("<ResponseMetadata>");
        element(x, "RequestId", requestId);
        x.append("</ResponseMetadata></AssumeRoleWithWebIdentityResponse>");
        return x.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] error(StsException e, String requestId) {
        StringBuilder x = new StringBuilder(256).append(DECLARATION)
                .append("<ErrorResponse xmlns=\"").append(NAMESPACE).append("\"><Error>");
        element(x, "Type", e.code().status >= 500 ? "Receiver" : "Sender");
        element(x, "Code", e.code().name());
        element(x, "Message", e.clientMessage());
        x.append("</Error>");
        element(x, "RequestId", requestId);
        x.append("</ErrorResponse>");
        return x.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void element(StringBuilder x, String name, String value) {
        x.append('<').append(name).append('>');
        String v = value == null ? "" : value;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '<' -> x.append("&lt;");
                case '>' -> x.append("&gt;");
                case '&' -> x.append("&amp;");
                case '"' -> x.append("&quot;");
                case '\'' -> x.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        x.append(c); // other control characters cannot appear in XML 1.0 at all
                    }
                }
            }
        }
        x.append("</").append(name).append('>');
    }
}
