package io.multistore.core.internal.auth;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SigV4 signature of a browser POST form: {@code x-amz-signature} is the hex HMAC-SHA256 of the base64
 * {@code policy} field, keyed with the SigV4 signing key of the {@code x-amz-credential} scope (access key, date,
 * region, service). The caller is a long-lived credential, or with {@code x-amz-security-token} a temporary one,
 * exactly as for a signed request; the policy's own expiry and conditions are checked by the caller.
 *
 * @param algorithm     {@code x-amz-algorithm}
 * @param credential    {@code x-amz-credential}: {@code AKID/yyyyMMdd/region/s3/aws4_request}
 * @param date          {@code x-amz-date}: {@code yyyyMMdd'T'HHmmss'Z'}
 * @param signature     {@code x-amz-signature}
 * @param securityToken {@code x-amz-security-token}, or {@code null}
 */
public record PostPolicySignature(String algorithm, String credential, String date, String signature,
        String securityToken) {

    private static final Logger LOG = LoggerFactory.getLogger(PostPolicySignature.class);
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Override
    public String toString() {
        return "PostPolicySignature[" + credential + "]"; // the token stays out of logs
    }

    /**
     * @param policy the {@code policy} field exactly as sent (base64)
     * @throws S3Exception InvalidArgument for a malformed field, InvalidAccessKeyId, InvalidToken, ExpiredToken,
     *                     SignatureDoesNotMatch
     */
    public Authentication verify(SigV4Verifier verifier, String policy, CredentialLookup credentials,
            String requestId) {
        if (!SigV4Verifier.ALGORITHM.equals(algorithm)) {
            throw invalid("x-amz-algorithm", "only " + SigV4Verifier.ALGORITHM + " is supported");
        }
        String[] parts = credential.split("/", -1);
        int n = parts.length;
        if (n < 5 || !"aws4_request".equals(parts[n - 1]) || !"s3".equals(parts[n - 2]) || parts[n - 3].isEmpty()
                || parts[n - 4].length() != 8) {
            throw invalid("x-amz-credential", "expecting \"<YOUR-AKID>/YYYYMMDD/REGION/s3/aws4_request\"");
        }
        String accessKeyId = String.join("/", java.util.Arrays.copyOfRange(parts, 0, n - 4));
        try {
            AMZ_DATE.parse(date);
        } catch (DateTimeParseException e) {
            throw invalid("x-amz-date", "expecting the ISO 8601 basic format yyyyMMdd'T'HHmmss'Z'");
        }
        if (!date.startsWith(parts[n - 4])) {
            throw invalid("x-amz-date", "the date does not match the date of x-amz-credential");
        }
        Instant now = verifier.now();
        try {
            CallerSecret resolved = CallerSecret.resolve(credentials, accessKeyId, securityToken, now);
            byte[] key = verifier.signingKey(resolved.secret(), parts[n - 4], parts[n - 3], parts[n - 2]);
            if (!Crypto.signatureEquals(Crypto.hex(Crypto.hmac(key, policy)), signature)) {
                throw SigV4Verifier.refusal(S3ErrorCode.SignatureDoesNotMatch, "the POST policy signature does not "
                        + "match: a wrong secret key, or the form's policy is not the one that was signed");
            }
            return new Authentication(resolved.identity(), null);
        } catch (S3Exception e) {
            LOG.info("Request {} not authenticated: {}: {} [POST policy, access key {}{}]", requestId, e.code(),
                    e.detail() != null ? e.detail() : e.getMessage(), accessKeyId,
                    securityToken == null ? "" : ", session token");
            throw e;
        }
    }

    private static S3Exception invalid(String field, String detail) {
        return new S3Exception(S3ErrorCode.InvalidArgument, "Invalid " + field + ": " + detail);
    }
}
