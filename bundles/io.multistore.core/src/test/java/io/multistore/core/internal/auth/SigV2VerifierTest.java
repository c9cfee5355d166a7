package io.multistore.core.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * AWS Signature Version 2. The header and query vectors are the worked examples of S3's "Signing and authenticating
 * REST requests" guide (key {@code AKIAIOSFODNN7EXAMPLE}), so the verifier is checked against signatures AWS itself
 * published; the rest are signed in {@link #sign} from string-to-sign literals written out by hand.
 */
class SigV2VerifierTest {

    static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final Instant NOW = Instant.parse("2007-03-27T19:40:00Z");

    final Credentials credentials = new Credentials(NOW).add(new StoredCredential(AKID, SECRET, "johnsmith",
            null, null, true, Credentials.ALL));

    static RequestAuthenticator at(Instant now) {
        return new RequestAuthenticator(Clock.fixed(now, ZoneOffset.UTC), true);
    }

    static SignedRequest request(String method, String path, String query, String... headers) {
        Map<String, List<String>> h = new TreeMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.computeIfAbsent(headers[i].toLowerCase(java.util.Locale.ROOT), n -> new ArrayList<>())
                    .add(headers[i + 1]);
        }
        return new SignedRequest(method, path, query, h);
    }

    /** HMAC-SHA1 of a hand-written string to sign, base64: the test's own signer. */
    static String sign(String secret, String stringToSign) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    S3ErrorCode failure(RequestAuthenticator authenticator, SignedRequest request, String vhostBucket) {
        return assertThrows(S3Exception.class,
                () -> authenticator.authenticate(request, credentials, vhostBucket, "test")).code();
    }

    @Test
    void awsDocumentedHeaderExamples() {
        // GetObject, virtual-hosted (johnsmith.s3.amazonaws.com)
        Authentication a = at(Instant.parse("2007-03-27T19:40:00Z")).authenticate(request("GET", "/photos/puppy.jpg",
                null, "Date", "Tue, 27 Mar 2007 19:36:42 +0000", "Authorization",
                "AWS " + AKID + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU="), credentials, "johnsmith", "t");
        assertEquals("johnsmith", ((Identity.LongLived) a.identity()).principalName());
        // PutObject with a Content-Type
        at(Instant.parse("2007-03-27T21:15:45Z")).authenticate(request("PUT", "/photos/puppy.jpg", null,
                "Content-Type", "image/jpeg", "Content-Length", "94328", "Date", "Tue, 27 Mar 2007 21:15:45 +0000",
                "Authorization", "AWS " + AKID + ":MyyxeRY7whkBe+bq8fHCL/2kKUg="), credentials, "johnsmith", "t");
        // a listing: the tuning parameters are not signed, the bucket root is "/johnsmith/"
        at(Instant.parse("2007-03-27T19:42:41Z")).authenticate(request("GET", "/",
                "prefix=photos&max-keys=50&marker=puppy", "User-Agent", "Mozilla/5.0", "Date",
                "Tue, 27 Mar 2007 19:42:41 +0000", "Authorization", "AWS " + AKID + ":htDYFYduRNen8P9ZfE/s9SuKy0U="),
                credentials, "johnsmith", "t");
        // the acl sub-resource is signed
        at(Instant.parse("2007-03-27T19:44:46Z")).authenticate(request("GET", "/", "acl", "Date",
                "Tue, 27 Mar 2007 19:44:46 +0000", "Authorization", "AWS " + AKID + ":c2WLPFtWHVgbEmeEG93a4cG37dM="),
                credentials, "johnsmith", "t");
        // Content-MD5, repeated x-amz-meta-* headers joined by commas, x-amz-* lower-cased and sorted (path style:
        // the guide's CNAME bucket "static.johnsmith.net" is the first path segment here)
        at(Instant.parse("2007-03-27T21:06:08Z")).authenticate(request("PUT", "/static.johnsmith.net/db-backup.dat.gz",
                null, "User-Agent", "curl/7.15.5", "Date", "Tue, 27 Mar 2007 21:06:08 +0000", "x-amz-acl",
                "public-read", "content-type", "application/x-download", "Content-MD5", "4gJE4saaMU4BqNR0kLY+lw==",
                "X-Amz-Meta-ReviewedBy", "joe@johnsmith.net", "X-Amz-Meta-ReviewedBy", "jane@johnsmith.net",
                "X-Amz-Meta-FileChecksum", "0x02661779", "X-Amz-Meta-ChecksumAlgorithm", "crc32",
                "Content-Disposition", "attachment; filename=database.dat", "Content-Encoding", "gzip",
                "Authorization", "AWS " + AKID + ":ilyl83RwaSoYIEdixDQcA4OnAnc="), credentials, null, "t");
    }

    @Test
    void awsDocumentedQueryExample() {
        SignedRequest presigned = request("GET", "/photos/puppy.jpg",
                "AWSAccessKeyId=" + AKID + "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620");
        at(Instant.ofEpochSecond(1175139620)).authenticate(presigned, credentials, "johnsmith", "t");
        // one second later it has expired
        S3Exception e = assertThrows(S3Exception.class, () -> at(Instant.ofEpochSecond(1175139621))
                .authenticate(presigned, credentials, "johnsmith", "t"));
        assertEquals(S3ErrorCode.AccessDenied, e.code());
        assertEquals("Request has expired", e.clientMessage());
        // a tampered path or expiry no longer matches
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(at(Instant.ofEpochSecond(1175139000)),
                request("GET", "/photos/kitten.jpg", presigned.rawQuery()), "johnsmith"));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(at(Instant.ofEpochSecond(1175139000)),
                request("GET", "/photos/puppy.jpg", presigned.rawQuery().replace("1175139620", "1175139999")),
                "johnsmith"));
    }

    @Test
    void xAmzDateReplacesDateAndIsSignedAsAnAmzHeader() throws Exception {
        String date = "Tue, 27 Mar 2007 19:40:00 +0000";
        String signature = sign(SECRET, "DELETE\n\n\n\nx-amz-date:" + date + "\n/bucket/key");
        // a Date header far off does not matter when x-amz-date is sent
        at(NOW).authenticate(request("DELETE", "/bucket/key", null, "Date", "Mon, 01 Jan 2001 00:00:00 +0000",
                "x-amz-date", date, "Authorization", "AWS " + AKID + ":" + signature), credentials, null, "t");
    }

    @Test
    void onlyListedSubResourcesAreSignedSortedWithDecodedValues() throws Exception {
        String signature = sign(SECRET, "GET\n\n\nTue, 27 Mar 2007 19:40:00 +0000\n"
                + "/bucket/key?response-content-type=text/plain; charset=utf-8&uploadId=a b&versionId=3");
        at(NOW).authenticate(request("GET", "/bucket/key", "versionId=3&v=cache&uploadId=a%20b"
                + "&response-content-type=text%2Fplain%3B%20charset%3Dutf-8&x-id=GetObject", "Date",
                "Tue, 27 Mar 2007 19:40:00 +0000", "Authorization", "AWS " + AKID + ":" + signature), credentials,
                null, "t");
    }

    @Test
    void headerFormErrors() throws Exception {
        String date = "Tue, 27 Mar 2007 19:40:00 +0000";
        String good = sign(SECRET, "GET\n\n\n" + date + "\n/bucket/key");
        RequestAuthenticator now = at(NOW);
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(now, request("GET", "/bucket/key", null, "Date", date,
                "Authorization", "AWS " + AKID + ":" + sign("wrong", "GET\n\n\n" + date + "\n/bucket/key")), null));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(now, request("GET", "/bucket/other", null, "Date",
                date, "Authorization", "AWS " + AKID + ":" + good), null));
        assertEquals(S3ErrorCode.InvalidAccessKeyId, failure(now, request("GET", "/bucket/key", null, "Date", date,
                "Authorization", "AWS AKIDUNKNOWN:" + good), null));
        assertEquals(S3ErrorCode.InvalidArgument, failure(now, request("GET", "/bucket/key", null, "Date", date,
                "Authorization", "AWS " + AKID), null));
        assertEquals(S3ErrorCode.AccessDenied, failure(now, request("GET", "/bucket/key", null,
                "Authorization", "AWS " + AKID + ":" + good), null));
        // 16 minutes off: too skewed, however good the signature
        String late = "Tue, 27 Mar 2007 19:56:00 +0000";
        assertEquals(S3ErrorCode.RequestTimeTooSkewed, failure(now, request("GET", "/bucket/key", null, "Date", late,
                "Authorization", "AWS " + AKID + ":" + sign(SECRET, "GET\n\n\n" + late + "\n/bucket/key")), null));
        // both mechanisms at once
        assertEquals(S3ErrorCode.InvalidArgument, failure(now, request("GET", "/bucket/key",
                "AWSAccessKeyId=" + AKID + "&Expires=1&Signature=x", "Date", date, "Authorization",
                "AWS " + AKID + ":" + good), null));
        // an unknown scheme
        assertEquals(S3ErrorCode.InvalidArgument, failure(now, request("GET", "/bucket/key", null, "Date", date,
                "Authorization", "Basic dXNlcjpwYXNz"), null));
    }

    @Test
    void queryFormErrors() {
        RequestAuthenticator now = at(NOW);
        assertEquals(S3ErrorCode.AccessDenied, failure(now, request("GET", "/bucket/key",
                "AWSAccessKeyId=" + AKID + "&Expires=99999999999"), null));
        assertEquals(S3ErrorCode.AccessDenied, failure(now, request("GET", "/bucket/key",
                "AWSAccessKeyId=" + AKID + "&Signature=x&Expires=tomorrow"), null));
    }

    @Test
    void sessionTokensAreAcceptedAsForV4() throws Exception {
        credentials.session("sealed-token", "ASIATEMP", "temp-secret", NOW.plusSeconds(3600));
        long expires = NOW.getEpochSecond() + 60;
        String signature = sign("temp-secret", "GET\n\n\n" + expires + "\nx-amz-security-token:sealed-token\n"
                + "/bucket/key");
        String query = "AWSAccessKeyId=ASIATEMP&Expires=" + expires + "&x-amz-security-token=sealed-token"
                + "&Signature=" + java.net.URLEncoder.encode(signature, StandardCharsets.UTF_8);
        Authentication a = at(NOW).authenticate(request("GET", "/bucket/key", query), credentials, null, "t");
        assertTrue(a.identity() instanceof Identity.Temporary);
        // the header form carries the token as a header
        String date = "Tue, 27 Mar 2007 19:40:00 +0000";
        String headerSignature = sign("temp-secret", "GET\n\n\n" + date + "\nx-amz-security-token:sealed-token\n"
                + "/bucket/key");
        at(NOW).authenticate(request("GET", "/bucket/key", null, "Date", date, "x-amz-security-token",
                "sealed-token", "Authorization", "AWS ASIATEMP:" + headerSignature), credentials, null, "t");
        // a token no resolver knows
        assertEquals(S3ErrorCode.InvalidToken, failure(at(NOW), request("GET", "/bucket/key",
                query.replace("sealed-token", "other-token")), null));
    }

    @Test
    void v2CanBeSwitchedOff() {
        RequestAuthenticator off = new RequestAuthenticator(Clock.fixed(NOW, ZoneOffset.UTC), false);
        S3Exception e = assertThrows(S3Exception.class, () -> off.authenticate(request("GET", "/photos/puppy.jpg",
                "AWSAccessKeyId=" + AKID + "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620"),
                credentials, "johnsmith", "t"));
        assertEquals(S3ErrorCode.InvalidRequest, e.code());
        assertTrue(e.clientMessage().contains("AWS4-HMAC-SHA256"), e.clientMessage());
        assertEquals(S3ErrorCode.InvalidRequest, failure(off, request("GET", "/bucket/key", null, "Date",
                "Tue, 27 Mar 2007 19:40:00 +0000", "Authorization", "AWS " + AKID + ":c2ln"), null));
        // anonymous requests and V4 are unaffected
        assertTrue(off.authenticate(request("GET", "/bucket/key", "v=1"), credentials, null, "t").isAnonymous());
    }

    @Test
    void theStringToSignInTheLogHidesTheSessionToken() {
        String logged = SigV2Verifier.withoutToken("GET\n\n\n1\nx-amz-security-token:secret-token\n/b/k");
        assertTrue(!logged.contains("secret-token") && logged.contains("x-amz-security-token:<redacted>"), logged);
    }
}
