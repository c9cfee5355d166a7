package io.multistore.core.internal.auth;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies AWS Signature Version 2, the signature older tools and boto3's default presigned URLs (us-east-1) still
 * use: the header form {@code Authorization: AWS AKID:signature} and the query form {@code AWSAccessKeyId},
 * {@code Expires}, {@code Signature}. The signature is the base64 HMAC-SHA1 of
 * <pre>
 * METHOD \n Content-MD5 \n Content-Type \n Date-or-Expires \n canonical x-amz-* headers canonical resource
 * </pre>
 * where the Date line is empty when {@code x-amz-date} is sent, the {@code x-amz-*} headers are lower-cased, sorted
 * and their repeated values joined with commas, and the resource is the path (with the bucket in front for
 * virtual-hosted requests) followed by only S3's signed sub-resources, sorted. Keys, session tokens and the errors are
 * those of {@link SigV4Verifier}: both go through {@link CallerSecret}.
 */
public final class SigV2Verifier {

    /** The query parameters that are part of the signed resource, as S3 lists them. */
    static final Set<String> SIGNED_SUB_RESOURCES = Set.of("accelerate", "acl", "analytics", "cors",
            "defaultObjectAcl", "delete", "inventory", "lifecycle", "location", "logging", "metrics", "notification",
            "object-lock", "partNumber", "policy", "replication", "requestPayment", "response-cache-control",
            "response-content-disposition", "response-content-encoding", "response-content-language",
            "response-content-type", "response-expires", "restore", "select", "select-type", "storageClass",
            "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website");

    private static final Logger LOG = LoggerFactory.getLogger(SigV2Verifier.class);

    private final Clock clock;

    public SigV2Verifier(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether a request carries a V2 signature: an {@code AWS } Authorization header or an AWSAccessKeyId query. */
    public static boolean isV2(SignedRequest request) {
        String authorization = request.header("authorization");
        if (authorization != null) {
            return authorization.startsWith("AWS ");
        }
        String rawQuery = request.rawQuery();
        return rawQuery != null && rawQuery.contains("AWSAccessKeyId")
                && param(AwsEncoding.decodeQuery(rawQuery), "AWSAccessKeyId") != null;
    }

    /** The parts of a V2 signature. */
    private record Claim(boolean presigned, String accessKeyId, String signature, String dateLine,
            String securityToken) {
    }

    /**
     * Authenticates a V2-signed request ({@link #isV2} holds), logging a refusal at INFO with its reason and never a
     * secret; the string to sign of a mismatch goes to DEBUG.
     *
     * @param virtualHostBucket the bucket named by the Host header, or {@code null} for a path-style request
     * @throws S3Exception with the code S3 answers for the failure
     */
    public Authentication authenticate(SignedRequest request, CredentialLookup credentials,
            String virtualHostBucket, String requestId) {
        String authorization = request.header("authorization");
        List<String[]> query = AwsEncoding.decodeQuery(request.rawQuery());
        boolean presigned = authorization == null;
        Instant now = clock.instant();
        Claim claim;
        try {
            if (!presigned && param(query, "AWSAccessKeyId") != null) {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "Only one auth mechanism allowed; only the "
                        + "AWSAccessKeyId query parameter or the Authorization header should be specified");
            }
            claim = presigned ? parseQuery(request, query, now) : parseHeader(request, authorization, now);
        } catch (S3Exception e) {
            LOG.info("Request {} not authenticated: {} ({} V2 signature): {}", requestId, e.code(),
                    presigned ? "presigned" : "header", e.getMessage());
            throw e;
        }
        try {
            CallerSecret caller = CallerSecret.resolve(credentials, claim.accessKeyId(), claim.securityToken(), now);
            String stringToSign = stringToSign(request, query, claim, virtualHostBucket);
            if (!signatureMatches(caller.secret(), stringToSign, claim.signature())) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Request {}: V2 string to sign:\n{}", requestId, withoutToken(stringToSign));
                }
                throw CallerSecret.refusal(S3ErrorCode.SignatureDoesNotMatch, "the V2 signature does not match: a "
                        + "wrong secret key, or the client signed other bytes than it sent (string to sign at DEBUG)");
            }
            return new Authentication(caller.identity(), null);
        } catch (S3Exception e) {
            LOG.info("Request {} not authenticated: {}: {} [access key {}, V2 {}{}]", requestId, e.code(),
                    e.detail() != null ? e.detail() : e.getMessage(), claim.accessKeyId(),
                    presigned ? "presigned" : "header", claim.securityToken() == null ? "" : ", session token");
            throw e;
        }
    }

    private Claim parseHeader(SignedRequest request, String authorization, Instant now) {
        String credentials = authorization.substring(4).trim();
        int colon = credentials.lastIndexOf(':');
        if (colon <= 0 || colon == credentials.length() - 1) {
            throw new S3Exception(S3ErrorCode.InvalidArgument,
                    "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
        }
        String amzDate = request.header("x-amz-date");
        String date = amzDate != null ? amzDate : request.header("date");
        Instant time = parseDate(date);
        if (time == null) {
            throw new S3Exception(S3ErrorCode.AccessDenied,
                    "AWS authentication requires a valid Date or x-amz-date header");
        }
        if (Duration.between(time, now).abs().compareTo(SigV4Verifier.MAX_SKEW) > 0) {
            throw new S3Exception(S3ErrorCode.RequestTimeTooSkewed, S3ErrorCode.RequestTimeTooSkewed.defaultMessage()
                    + " Request time " + date.trim() + ", server time "
                    + DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atOffset(java.time.ZoneOffset.UTC)) + ".");
        }
        // with x-amz-date the Date line is empty: x-amz-date is signed among the x-amz-* headers instead
        String dateLine = amzDate != null ? "" : date.trim();
        return new Claim(false, credentials.substring(0, colon), credentials.substring(colon + 1), dateLine,
                request.header("x-amz-security-token"));
    }

    private Claim parseQuery(SignedRequest request, List<String[]> query, Instant now) {
        String accessKeyId = param(query, "AWSAccessKeyId");
        String signature = param(query, "Signature");
        String expires = param(query, "Expires");
        if (accessKeyId == null || accessKeyId.isEmpty() || signature == null || signature.isEmpty()
                || expires == null || expires.isEmpty()) {
            throw new S3Exception(S3ErrorCode.AccessDenied, "Query-string authentication requires the Signature, "
                    + "Expires and AWSAccessKeyId parameters");
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires.trim());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.AccessDenied, "Invalid date (should be seconds since epoch): "
                    + expires);
        }
        if (now.getEpochSecond() > expiresAt) {
            throw new S3Exception(S3ErrorCode.AccessDenied, "Request has expired");
        }
        String token = request.header("x-amz-security-token");
        if (token == null) {
            token = param(query, "x-amz-security-token");
        }
        return new Claim(true, accessKeyId, signature, expires, token);
    }

    /** The V2 string to sign of a request. */
    static String stringToSign(SignedRequest request, List<String[]> query, boolean presigned, String dateLine,
            String virtualHostBucket) {
        StringBuilder out = new StringBuilder(256);
        out.append(request.method()).append('\n');
        out.append(standardHeader(request, query, presigned, "content-md5")).append('\n');
        out.append(standardHeader(request, query, presigned, "content-type")).append('\n');
        out.append(dateLine).append('\n');
        Map<String, String> amz = new TreeMap<>();
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (header.getKey().startsWith("x-amz-")) {
                List<String> values = new ArrayList<>(header.getValue().size());
                for (String v : header.getValue()) {
                    values.add(v.trim());
                }
                amz.put(header.getKey(), String.join(",", values));
            }
        }
        if (presigned) {
            // a presigned URL carries the x-amz-* headers it was signed with as query parameters
            for (String[] p : query) {
                String name = p[0].toLowerCase(Locale.ROOT);
                if (name.startsWith("x-amz-")) {
                    amz.merge(name, p[1].trim(), (a, b) -> a + "," + b);
                }
            }
        }
        amz.forEach((name, value) -> out.append(name).append(':').append(value).append('\n'));
        out.append(canonicalResource(request.rawPath(), request.rawQuery(), virtualHostBucket));
        return out.toString();
    }

    private static String stringToSign(SignedRequest request, List<String[]> query, Claim claim,
            String virtualHostBucket) {
        return stringToSign(request, query, claim.presigned(), claim.dateLine(), virtualHostBucket);
    }

    private static String standardHeader(SignedRequest request, List<String[]> query, boolean presigned,
            String name) {
        String value = request.header(name);
        if (value == null && presigned) {
            value = param(query, name);
        }
        return value == null ? "" : value.trim();
    }

    /**
     * The path as sent (with {@code /bucket} in front for a virtual-hosted request), then the signed sub-resources
     * sorted by name, each with its decoded value when the client sent one.
     */
    static String canonicalResource(String rawPath, String rawQuery, String virtualHostBucket) {
        StringBuilder out = new StringBuilder(64);
        if (virtualHostBucket != null) {
            out.append('/').append(virtualHostBucket);
        }
        out.append(rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out.toString();
        }
        List<String> signed = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (SIGNED_SUB_RESOURCES.contains(name)) {
                signed.add(eq < 0 ? name : name + "=" + AwsEncoding.decode(pair, eq + 1, pair.length()));
            }
        }
        if (!signed.isEmpty()) {
            // by name only, as S3 sorts: a stable sort keeps repeated names in the order sent
            signed.sort((a, b) -> subResourceName(a).compareTo(subResourceName(b)));
            out.append('?').append(String.join("&", signed));
        }
        return out.toString();
    }

    private static String subResourceName(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }

    /** Base64 HMAC-SHA1 of the string to sign, compared in constant time. */
    static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCA lacks HmacSHA1", e);
        }
    }

    private static boolean signatureMatches(String secret, String stringToSign, String provided) {
        return MessageDigest.isEqual(sign(secret, stringToSign).getBytes(StandardCharsets.US_ASCII),
                provided.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** RFC 1123 (what V2 clients send), or the ISO 8601 basic form some send in {@code x-amz-date}. */
    private static Instant parseDate(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(t));
        } catch (DateTimeParseException e) {
            try {
                return Instant.from(DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
                        .withZone(java.time.ZoneOffset.UTC).parse(t));
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String param(List<String[]> query, String name) {
        return SigV4Verifier.param(query, name);
    }

    /** A string to sign fit for the log: the session token is a secret. */
    static String withoutToken(String stringToSign) {
        StringBuilder out = new StringBuilder(stringToSign.length());
        for (String line : stringToSign.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(line.startsWith("x-amz-security-token:") ? "x-amz-security-token:<redacted>" : line);
        }
        return out.toString();
    }
}
