package io.multistore.core.internal.auth;

import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies AWS Signature Version 4 on a request: the {@code Authorization} header or presigned query parameters.
 * <p>
 * The canonical request is built as S3 builds it: the path is not double-encoded, but each segment and each query
 * parameter is decoded and re-encoded with AWS's rules, so the wire encoding a client chose does not matter. The
 * gateway has no region of its own: whatever region the client signed with is accepted.
 */
public final class SigV4Verifier {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /** How far a request's time may be from the gateway's clock, as in S3. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The longest a presigned URL may be valid, as in S3: seven days. */
    static final long MAX_PRESIGNED_EXPIRY_SECONDS = 604_800;

    private static final Logger LOG = LoggerFactory.getLogger(SigV4Verifier.class);
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int SIGNING_KEY_CACHE_SIZE = 1024;

    private final Clock clock;
    private final SigningKeyCache signingKeys = new SigningKeyCache(SIGNING_KEY_CACHE_SIZE);

    public SigV4Verifier(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The parts of a signature, from the header or the query. */
    private record Claim(boolean presigned, String accessKeyId, String date, String region, String service,
            List<String> signedHeaders, String signature, String timestamp, Instant time, String payloadHash,
            String securityToken) {

        String scope() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }

    /**
     * Authenticates a request. No {@code Authorization} header and no {@code X-Amz-Algorithm} query parameter make
     * it anonymous.
     *
     * @throws S3Exception with the code S3 answers for the failure
     */
    public Authentication authenticate(SignedRequest request, CredentialLookup credentials) {
        return authenticate(request, credentials, "-");
    }

    /**
     * Authenticates a request, logging a failure at INFO with its reason and {@code requestId} — the code, what did
     * not hold, and the access key and scope it claimed; never a secret or a session token — so an operator can tell
     * a clock skew from a wrong key from a client that signed other bytes than it sent. The canonical request and
     * string-to-sign of a signature mismatch go to DEBUG.
     *
     * @throws S3Exception with the code S3 answers for the failure
     */
    public Authentication authenticate(SignedRequest request, CredentialLookup credentials, String requestId) {
        String authorization = request.header("authorization");
        String rawQuery = request.rawQuery();
        List<String[]> query = rawQuery != null && rawQuery.contains("X-Amz-")
                ? AwsEncoding.decodeQuery(rawQuery) : List.of();
        boolean presigned = param(query, "X-Amz-Algorithm") != null;
        if (authorization == null && !presigned) {
            return Authentication.ANONYMOUS;
        }
        if (authorization != null && presigned) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Only one auth mechanism allowed; only the "
                    + "X-Amz-Algorithm query parameter or the Authorization header should be specified");
        }
        Instant now = clock.instant();
        Claim claim;
        try {
            claim = presigned ? parseQuery(request, query, now) : parseHeader(request, authorization, now);
        } catch (S3Exception e) {
            LOG.info("Request {} not authenticated: {} ({} signature): {}", requestId, e.code(),
                    presigned ? "presigned" : "header", e.getMessage());
            throw e;
        }
        try {
            return verify(request, claim, credentials, now, requestId);
        } catch (S3Exception e) {
            LOG.info("Request {} not authenticated: {}: {} [access key {}, scope {}, signed headers {}{}]", requestId,
                    e.code(), e.detail() != null ? e.detail() : e.getMessage(), claim.accessKeyId(), claim.scope(),
                    String.join(";", claim.signedHeaders()), claim.securityToken() == null ? "" : ", session token");
            throw e;
        }
    }

    /** The SigV4 signing key of a day, region and service, from the cache. */
    byte[] signingKey(String secret, String date, String region, String service) {
        return signingKeys.signingKey(secret, date, region, service);
    }

    /** The gateway's clock. */
    public Instant now() {
        return clock.instant();
    }

    private Authentication verify(SignedRequest request, Claim claim, CredentialLookup credentials, Instant now,
            String requestId) {
        CallerSecret caller = CallerSecret.resolve(credentials, claim.accessKeyId(), claim.securityToken(), now);
        String secret = caller.secret();
        Identity identity = caller.identity();

        byte[] key = signingKeys.signingKey(secret, claim.date(), claim.region(), claim.service());
        String canonicalRequest = canonicalRequest(request, claim.payloadHash(), claim.signedHeaders(),
                claim.presigned(), true);
        String expected = signature(key, claim, canonicalRequest);
        if (!Crypto.signatureEquals(expected, claim.signature())) {
            // Clients that sign the path and query exactly as they sent them (a literal '+' in a key, say) are
            // accepted too, as the Rust multistore does: the bytes on the wire are the same either way.
            String asSent = canonicalRequest(request, claim.payloadHash(), claim.signedHeaders(), claim.presigned(),
                    false);
            expected = asSent.equals(canonicalRequest) ? null : signature(key, claim, asSent);
            if (expected == null || !Crypto.signatureEquals(expected, claim.signature())) {
                if (LOG.isDebugEnabled()) {
                    // what the gateway signed, for comparing with the client's own debug output; no secret in it
                    LOG.debug("Request {}: canonical request:\n{}\nstring to sign:\n{}", requestId,
                            withoutToken(canonicalRequest), stringToSign(claim, canonicalRequest));
                    if (!asSent.equals(canonicalRequest)) {
                        LOG.debug("Request {}: canonical request with the path and query as sent:\n{}", requestId,
                                withoutToken(asSent));
                    }
                }
                throw refusal(S3ErrorCode.SignatureDoesNotMatch, "the signature does not match: a wrong secret "
                        + "key, or the client signed other bytes than it sent (canonical request at DEBUG)");
            }
        }
        return new Authentication(identity, new SigningContext(key, claim.timestamp(), claim.scope(), expected));
    }

    private static String signature(byte[] key, Claim claim, String canonicalRequest) {
        return Crypto.hex(Crypto.hmac(key, stringToSign(claim, canonicalRequest)));
    }

    private static String stringToSign(Claim claim, String canonicalRequest) {
        return ALGORITHM + "\n" + claim.timestamp() + "\n" + claim.scope() + "\n" + Crypto.sha256Hex(canonicalRequest);
    }

    /**
     * The canonical request of SigV4, for the S3 flavour (no double encoding, no path normalisation).
     *
     * @param canonicalEncoding re-encode path and query with AWS's rules, as S3 does; else take them as sent
     */
    static String canonicalRequest(SignedRequest request, String payloadHash, List<String> signedHeaders,
            boolean presigned, boolean canonicalEncoding) {
        String exclude = presigned ? "X-Amz-Signature" : null;
        StringBuilder out = new StringBuilder(256);
        out.append(request.method()).append('\n');
        if (canonicalEncoding) {
            out.append(AwsEncoding.canonicalPath(request.rawPath())).append('\n');
            out.append(AwsEncoding.canonicalQuery(request.rawQuery(), exclude)).append('\n');
        } else {
            String path = request.rawPath();
            out.append(path == null || path.isEmpty() ? "/" : path).append('\n');
            out.append(AwsEncoding.sortedQueryAsSent(request.rawQuery(), exclude)).append('\n');
        }
        for (String name : signedHeaders) {
            out.append(name).append(':');
            List<String> values = request.headers().get(name);
            if (values != null) {
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendTrimmed(values.get(i), out);
                }
            }
            out.append('\n');
        }
        out.append('\n').append(String.join(";", signedHeaders)).append('\n');
        out.append(payloadHash);
        return out.toString();
    }

    /** Trims a header value and collapses inner runs of whitespace to one space. */
    private static void appendTrimmed(String value, StringBuilder out) {
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        boolean inSpace = false;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (isSpace(c)) {
                if (!inSpace) {
                    out.append(' ');
                    inSpace = true;
                }
            } else {
                out.append(c);
                inSpace = false;
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    private Claim parseHeader(SignedRequest request, String authorization, Instant now) {
        if (!authorization.startsWith(ALGORITHM + " ")) {
            // as S3 answers a scheme it does not know (Bearer, Basic, a misspelt algorithm)
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Unsupported Authorization Type");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            String item = part.trim();
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw headerMalformed("the authorization component \"" + item + "\" is malformed.");
            }
            String name = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            switch (name) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> throw headerMalformed("the authorization component \"" + name + "\" is unknown.");
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw headerMalformed("it must contain Credential, SignedHeaders and Signature.");
        }
        String timestamp = request.header("x-amz-date");
        Instant time;
        if (timestamp != null) {
            time = parseAmzDate(timestamp);
        } else {
            time = parseHttpDate(request.header("date"));
            timestamp = time == null ? null : AMZ_DATE.format(time);
        }
        if (time == null) {
            throw new S3Exception(S3ErrorCode.AccessDenied,
                    "AWS authentication requires a valid Date or x-amz-date header");
        }
        checkSkew(timestamp, time, now);
        String payloadHash = request.header("x-amz-content-sha256");
        if (payloadHash == null) {
            throw new S3Exception(S3ErrorCode.InvalidRequest,
                    "Missing required header for this request: x-amz-content-sha256");
        }
        checkPayloadHash(payloadHash);
        String[] scope = parseCredential(credential, false);
        checkScopeDate(scope[1], timestamp, false);
        return new Claim(false, scope[0], scope[1], scope[2], scope[3], parseSignedHeaders(signedHeaders, false),
                signature, timestamp, time, payloadHash, request.header("x-amz-security-token"));
    }

    private Claim parseQuery(SignedRequest request, List<String[]> query, Instant now) {
        String algorithm = param(query, "X-Amz-Algorithm");
        if (!ALGORITHM.equals(algorithm)) {
            throw queryMalformed("X-Amz-Algorithm only supports \"" + ALGORITHM + "\"");
        }
        String credential = required(query, "X-Amz-Credential");
        String timestamp = required(query, "X-Amz-Date");
        String expiresText = required(query, "X-Amz-Expires");
        String signedHeaders = required(query, "X-Amz-SignedHeaders");
        String signature = required(query, "X-Amz-Signature");
        Instant time = parseAmzDate(timestamp);
        if (time == null) {
            throw queryMalformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
        long expires;
        try {
            expires = Long.parseLong(expiresText);
        } catch (NumberFormatException e) {
            throw queryMalformed("X-Amz-Expires should be a number");
        }
        if (expires < 0) {
            throw queryMalformed("X-Amz-Expires must be non-negative");
        }
        if (expires > MAX_PRESIGNED_EXPIRY_SECONDS) {
            throw queryMalformed("X-Amz-Expires must be less than a week (in seconds) that is 604800");
        }
        if (now.isAfter(time.plusSeconds(expires))) {
            throw new S3Exception(S3ErrorCode.AccessDenied, "Request has expired");
        }
        if (time.isAfter(now.plus(MAX_SKEW))) {
            throw new S3Exception(S3ErrorCode.AccessDenied, "Request is not valid yet");
        }
        String[] scope = parseCredential(credential, true);
        checkScopeDate(scope[1], timestamp, true);
        return new Claim(true, scope[0], scope[1], scope[2], scope[3], parseSignedHeaders(signedHeaders, true),
                signature, timestamp, time, UNSIGNED_PAYLOAD, param(query, "X-Amz-Security-Token"));
    }

    /** {@code AKID/yyyyMMdd/region/service/aws4_request} to {akid, date, region, service}. */
    private static String[] parseCredential(String credential, boolean presigned) {
        String[] parts = credential.split("/", -1);
        String expectation = "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/"
                + "aws4_request\".";
        if (parts.length < 5) {
            throw malformed(presigned, expectation);
        }
        int n = parts.length;
        String accessKeyId = String.join("/", java.util.Arrays.copyOfRange(parts, 0, n - 4));
        String date = parts[n - 4];
        String region = parts[n - 3];
        String service = parts[n - 2];
        if (accessKeyId.isEmpty() || region.isEmpty() || date.length() != 8 || !"aws4_request".equals(parts[n - 1])) {
            throw malformed(presigned, expectation);
        }
        if (!"s3".equals(service) && !"sts".equals(service)) {
            throw malformed(presigned, "the service '" + service + "' in the Credential is wrong; expecting 's3'.");
        }
        return new String[] {accessKeyId, date, region, service};
    }

    private static void checkScopeDate(String scopeDate, String timestamp, boolean presigned) {
        if (!timestamp.startsWith(scopeDate)) {
            throw malformed(presigned, "the date in the Credential scope (" + scopeDate
                    + ") does not match the request date (" + timestamp.substring(0, Math.min(8, timestamp.length()))
                    + ").");
        }
    }

    private static List<String> parseSignedHeaders(String signedHeaders, boolean presigned) {
        List<String> names = new ArrayList<>();
        for (String name : signedHeaders.split(";")) {
            if (!name.isEmpty()) {
                names.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (!names.contains("host")) {
            throw malformed(presigned, "the SignedHeaders must include host.");
        }
        return List.copyOf(names);
    }

    private static void checkPayloadHash(String payloadHash) {
        switch (payloadHash) {
            case UNSIGNED_PAYLOAD, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER -> {
            }
            default -> {
                if (!Crypto.isSha256Hex(payloadHash)) {
                    throw new S3Exception(S3ErrorCode.InvalidArgument, "x-amz-content-sha256 must be "
                            + UNSIGNED_PAYLOAD + ", " + STREAMING_SIGNED + ", " + STREAMING_SIGNED_TRAILER + ", "
                            + STREAMING_UNSIGNED_TRAILER + " or a valid sha256 value.");
                }
            }
        }
    }

    private static void checkSkew(String timestamp, Instant time, Instant now) {
        if (Duration.between(time, now).abs().compareTo(MAX_SKEW) > 0) {
            // the two times, as S3 reports them (RequestTime, ServerTime): the operator sees which clock is off
            throw new S3Exception(S3ErrorCode.RequestTimeTooSkewed, S3ErrorCode.RequestTimeTooSkewed.defaultMessage()
                    + " Request time " + timestamp + ", server time " + AMZ_DATE.format(now) + ".");
        }
    }

    private static Instant parseAmzDate(String text) {
        try {
            return Instant.from(AMZ_DATE.parse(text));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant parseHttpDate(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(text.trim()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The decoded value of the first query parameter of that name, or {@code null}. */
    static String param(List<String[]> query, String name) {
        for (String[] param : query) {
            if (param[0].equals(name)) {
                return param[1];
            }
        }
        return null;
    }

    private static String required(List<String[]> query, String name) {
        String value = param(query, name);
        if (value == null || value.isEmpty()) {
            throw queryMalformed("Query-string authentication requires the " + name + " parameter");
        }
        return value;
    }

    private static S3Exception malformed(boolean presigned, String detail) {
        return presigned ? queryMalformed(detail) : headerMalformed(detail);
    }

    private static S3Exception headerMalformed(String detail) {
        return new S3Exception(S3ErrorCode.AuthorizationHeaderMalformed,
                "The authorization header is malformed; " + detail);
    }

    private static S3Exception queryMalformed(String detail) {
        return new S3Exception(S3ErrorCode.AuthorizationQueryParametersError, detail);
    }

    /**
     * A canonical request fit for the log: the session token (a signed header or presigned query parameter) is a
     * secret, so its value is replaced; the rest is what the client could print for comparison.
     */
    static String withoutToken(String canonicalRequest) {
        StringBuilder out = new StringBuilder(canonicalRequest.length());
        for (String line : canonicalRequest.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (line.startsWith("x-amz-security-token:")) {
                out.append("x-amz-security-token:<redacted>");
                continue;
            }
            int at = line.indexOf("X-Amz-Security-Token=");
            if (at >= 0) {
                int end = line.indexOf('&', at);
                out.append(line, 0, at).append("X-Amz-Security-Token=<redacted>")
                        .append(end < 0 ? "" : line.substring(end));
                continue;
            }
            out.append(line);
        }
        return out.toString();
    }

    static S3Exception refusal(S3ErrorCode code, String reason) {
        return CallerSecret.refusal(code, reason);
    }

    int cachedSigningKeys() {
        return signingKeys.size();
    }
}
