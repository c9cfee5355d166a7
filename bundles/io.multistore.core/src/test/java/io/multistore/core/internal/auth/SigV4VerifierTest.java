package io.multistore.core.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.core.internal.auth.SdkSigning.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

class SigV4VerifierTest {

    static final Instant NOW = Instant.parse("2026-11-29T10:15:30Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final SigV4Verifier verifier = new SigV4Verifier(CLOCK);
    final Credentials credentials = new Credentials(NOW).standard();

    static Wire get(String encodedPath) {
        return SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, encodedPath), null, CLOCK);
    }

    static String keyPath(String bucket, String key) {
        return "/" + bucket + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
    }

    Authentication verify(Wire wire) {
        return verifier.authenticate(wire.request(), credentials);
    }

    S3ErrorCode failure(Wire wire) {
        return assertThrows(S3Exception.class, () -> verify(wire)).code();
    }

    @Test
    void noAuthorizationIsAnonymous() {
        SignedRequest request = new SignedRequest("GET", "/bucket/key", "list-type=2", Map.of());
        Authentication auth = verifier.authenticate(request, credentials);
        assertSame(Identity.ANONYMOUS, auth.identity());
        assertNull(auth.signing());
    }

    @Test
    void headerSignatureOfTheSdkVerifies() {
        Wire wire = get("/bucket/some/key.txt");
        assertNotNull(wire.request().header("authorization"));
        Authentication auth = verify(wire);
        Identity.LongLived identity = assertInstanceOf(Identity.LongLived.class, auth.identity());
        assertEquals("alice", identity.principalName());
        assertEquals(SdkSigning.ACCESS_KEY, identity.accessKeyId());
        assertEquals("20261129/eu-central-1/s3/aws4_request", auth.signing().scope());
    }

    @ParameterizedTest
    @ValueSource(strings = {"with space.txt", "ünïcødé/日本語.bin", "a=b&c=d", "plus+sign", "100%.txt",
        "star*key", "tilde~key", "semi;colon,comma", "dir/sub dir/(paren)!'quote", "emoji-😀", "a//double/slash",
        "trailing/", "../dots/./x", "hash#frag?q"})
    void keysWithSpecialCharactersVerify(String key) {
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.PUT, keyPath("bucket", key)),
                "hello".getBytes(StandardCharsets.UTF_8), CLOCK);
        assertInstanceOf(Identity.LongLived.class, verify(wire).identity());
    }

    @Test
    void pathEncodedDifferentlyOnTheWireStillVerifies() {
        // the SDK signs %2A and %7E-free forms; other clients send lower-case hex or leave sub-delims bare
        Wire wire = get(keyPath("bucket", "star*key~x y"));
        assertEquals("/bucket/star%2Akey~x%20y", wire.request().rawPath());
        assertInstanceOf(Identity.LongLived.class, verify(wire.withPath("/bucket/star*key%7ex%20y")).identity());
        assertInstanceOf(Identity.LongLived.class, verify(wire.withPath("/bucket/st%61r%2akey~x%20y")).identity());
    }

    @Test
    void queryWithSeveralParametersVerifies() {
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.GET, "/bucket")
                .putRawQueryParameter("list-type", "2")
                .putRawQueryParameter("prefix", "photos/2026 summer/ü+=&")
                .putRawQueryParameter("delimiter", "/")
                .putRawQueryParameter("max-keys", "10")
                .putRawQueryParameter("start-after", "a*b~c")
                .putRawQueryParameter("uploads", (String) null)
                .putRawQueryParameter("tag", List.of("z", "a"));
        Wire wire = SdkSigning.sign(request, null, CLOCK);
        assertTrue(wire.request().rawQuery().contains("uploads"), wire.request().rawQuery());
        assertInstanceOf(Identity.LongLived.class, verify(wire).identity());
        // reordered on the wire: the canonical query sorts
        String[] params = wire.request().rawQuery().split("&");
        java.util.Collections.reverse(java.util.Arrays.asList(params));
        assertInstanceOf(Identity.LongLived.class, verify(wire.withQuery(String.join("&", params))).identity());
    }

    @Test
    void subresourceWithoutValueVerifies() {
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.POST, "/bucket/key")
                .putRawQueryParameter("uploads", (String) null), new byte[0], CLOCK);
        assertEquals("uploads", wire.request().rawQuery());
        assertInstanceOf(Identity.LongLived.class, verify(wire).identity());
        assertInstanceOf(Identity.LongLived.class, verify(wire.withQuery("uploads=")).identity());
    }

    @Test
    void tamperedMethodFails() {
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(get("/bucket/key").withMethod("DELETE")));
    }

    @Test
    void tamperedPathFails() {
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(get("/bucket/key").withPath("/bucket/key2")));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(get("/bucket/a%20b").withPath("/bucket/a+b")));
    }

    @Test
    void tamperedQueryFails() {
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/bucket")
                .putRawQueryParameter("prefix", "public/"), null, CLOCK);
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(wire.withQuery("prefix=private/")));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(wire.withQuery("prefix=public/&max-keys=1")));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(wire.withQuery(null)));
    }

    @Test
    void tamperedSignedHeaderFails() {
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.PUT, "/bucket/key")
                .putHeader("x-amz-meta-owner", "alice"), new byte[0], CLOCK);
        assertInstanceOf(Identity.LongLived.class, verify(wire.withHeader("x-amz-meta-owner", "  alice ")).identity());
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(wire.withHeader("x-amz-meta-owner", "mallory")));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(wire.withHeader("host", "evil.example:9000")));
    }

    @Test
    void tamperedDateFails() {
        Wire wire = get("/bucket/key");
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(wire.withHeader("x-amz-date", "20261129T101531Z")));
    }

    @Test
    void tamperedPayloadHashFails() {
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.PUT, "/bucket/key"),
                "data".getBytes(StandardCharsets.UTF_8), CLOCK);
        assertEquals(S3ErrorCode.SignatureDoesNotMatch,
                failure(wire.withHeader("x-amz-content-sha256", Crypto.EMPTY_SHA256)));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch,
                failure(wire.withHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")));
    }

    @Test
    void tamperedSignatureFails() {
        Wire wire = get("/bucket/key");
        String authorization = wire.request().header("authorization");
        String flipped = authorization.substring(0, authorization.length() - 1)
                + (authorization.endsWith("0") ? "1" : "0");
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(wire.withHeader("authorization", flipped)));
    }

    @Test
    void missingPayloadHashIsRejected() {
        Wire wire = get("/bucket/key").withHeader("x-amz-content-sha256", null);
        assertEquals(S3ErrorCode.InvalidRequest, failure(wire));
        assertEquals(S3ErrorCode.InvalidArgument, failure(get("/bucket/key").withHeader("x-amz-content-sha256", "xyz")));
    }

    @Test
    void clockSkewIsRejected() {
        Clock early = Clock.fixed(NOW.minus(Duration.ofMinutes(16)), ZoneOffset.UTC);
        Clock late = Clock.fixed(NOW.plus(Duration.ofMinutes(16)), ZoneOffset.UTC);
        Clock slightlyOff = Clock.fixed(NOW.minus(Duration.ofMinutes(14)), ZoneOffset.UTC);
        assertEquals(S3ErrorCode.RequestTimeTooSkewed,
                failure(SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/b/k"), null, early)));
        assertEquals(S3ErrorCode.RequestTimeTooSkewed,
                failure(SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/b/k"), null, late)));
        assertInstanceOf(Identity.LongLived.class,
                verify(SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/b/k"), null, slightlyOff)).identity());
    }

    @Test
    void scopeDateMustMatchRequestDate() {
        Wire wire = get("/bucket/key");
        String authorization = wire.request().header("authorization").replace("/20261129/", "/20261128/");
        assertEquals(S3ErrorCode.AuthorizationHeaderMalformed, failure(wire.withHeader("authorization", authorization)));
    }

    @Test
    void anyRegionAndTheStsServiceAreAccepted() {
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/bucket/key"), null, CLOCK,
                software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(SdkSigning.ACCESS_KEY,
                        SdkSigning.SECRET),
                b -> b.putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME,
                                "my-own-region"));
        assertEquals("20261129/my-own-region/sts/aws4_request", verify(wire).signing().scope());
        String ec2 = wire.request().header("authorization").replace("/sts/", "/ec2/");
        assertEquals(S3ErrorCode.AuthorizationHeaderMalformed, failure(wire.withHeader("authorization", ec2)));
    }

    @Test
    void malformedAuthorizationHeaders() {
        Wire wire = get("/bucket/key");
        assertEquals(S3ErrorCode.AuthorizationHeaderMalformed,
                failure(wire.withHeader("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/x")));
        assertEquals(S3ErrorCode.AuthorizationHeaderMalformed,
                failure(wire.withHeader("authorization", "AWS4-HMAC-SHA256 garbage")));
        // an unknown scheme is InvalidArgument, as S3 answers it (V2's "AWS " is routed to SigV2Verifier first)
        assertEquals(S3ErrorCode.InvalidArgument, failure(wire.withHeader("authorization", "Bearer abc")));
        assertEquals(S3ErrorCode.InvalidArgument, failure(wire.withHeader("authorization", "AWS4-HMAC-SHA1 x")));
        String noHost = wire.request().header("authorization").replace("host;", "");
        assertEquals(S3ErrorCode.AuthorizationHeaderMalformed, failure(wire.withHeader("authorization", noHost)));
        assertEquals(S3ErrorCode.AccessDenied, failure(wire.withHeader("x-amz-date", null)));
    }

    @Test
    void unknownAccessKeyIsInvalidAccessKeyId() {
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/b/k"), null, CLOCK,
                software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create("AKIDUNKNOWN", "secret"), null);
        assertEquals(S3ErrorCode.InvalidAccessKeyId, failure(wire));
    }

    @Test
    void disabledAndExpiredCredentialsAreRejected() {
        credentials.add(new StoredCredential("AKIDDISABLED", "s1", "bob", NOW.minusSeconds(10), null, false,
                Credentials.ALL));
        credentials.add(new StoredCredential("AKIDEXPIRED", "s2", "carol", NOW.minusSeconds(10), NOW.minusSeconds(1),
                true, Credentials.ALL));
        for (String[] key : new String[][] {{"AKIDDISABLED", "s1"}, {"AKIDEXPIRED", "s2"}}) {
            Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/b/k"), null, CLOCK,
                    software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(key[0], key[1]), null);
            assertEquals(S3ErrorCode.InvalidAccessKeyId, failure(wire));
        }
    }

    @Test
    void wrongSecretFails() {
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/b/k"), null, CLOCK,
                software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(SdkSigning.ACCESS_KEY, "wrong"),
                null);
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(wire));
    }

    @Test
    void sessionTokenResolvesTemporaryCredentials() {
        credentials.session("token-1", "ASIATEMP", "temp-secret", NOW.plusSeconds(600));
        Wire wire = SdkSigning.signSession(SdkSigning.request(SdkHttpMethod.GET, "/b/k"), CLOCK, "ASIATEMP",
                "temp-secret", "token-1");
        assertEquals("token-1", wire.request().header("x-amz-security-token"));
        Identity.Temporary identity = assertInstanceOf(Identity.Temporary.class, verify(wire).identity());
        assertEquals("reader", identity.roleId());
    }

    @Test
    void temporaryCredentialsMustMatchTheirAccessKeyAndBeCurrent() {
        credentials.session("token-1", "ASIATEMP", "temp-secret", NOW.plusSeconds(600));
        credentials.session("token-old", "ASIAOLD", "old-secret", NOW.minusSeconds(1));
        // a token used with another access key id: AccessDenied, as the Rust original
        assertEquals(S3ErrorCode.AccessDenied, failure(SdkSigning.signSession(
                SdkSigning.request(SdkHttpMethod.GET, "/b/k"), CLOCK, "ASIAOTHER", "temp-secret", "token-1")));
        // an expired token is ExpiredToken even when the access key id does not match either
        assertEquals(S3ErrorCode.ExpiredToken, failure(SdkSigning.signSession(
                SdkSigning.request(SdkHttpMethod.GET, "/b/k"), CLOCK, "ASIAOTHER", "old-secret", "token-old")));
        assertEquals(S3ErrorCode.InvalidToken, failure(SdkSigning.signSession(
                SdkSigning.request(SdkHttpMethod.GET, "/b/k"), CLOCK, "ASIATEMP", "temp-secret", "no-such-token")));
        assertEquals(S3ErrorCode.ExpiredToken, failure(SdkSigning.signSession(
                SdkSigning.request(SdkHttpMethod.GET, "/b/k"), CLOCK, "ASIAOLD", "old-secret", "token-old")));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(SdkSigning.signSession(
                SdkSigning.request(SdkHttpMethod.GET, "/b/k"), CLOCK, "ASIATEMP", "wrong-secret", "token-1")));
    }

    @Test
    void signingKeysAreCachedPerScope() {
        for (int i = 0; i < 5; i++) {
            verify(get("/bucket/key" + i));
        }
        assertEquals(1, verifier.cachedSigningKeys());
        verify(SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/b/k"), null, CLOCK,
                software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(SdkSigning.ACCESS_KEY,
                        SdkSigning.SECRET),
                b -> b.putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME,
                        "us-west-2")));
        assertEquals(2, verifier.cachedSigningKeys());
    }

    @Test
    void signingKeyDerivationMatchesTheAwsExample() {
        // the worked example of the SigV4 documentation
        byte[] key = SigningKeyCache.derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1",
                "iam");
        assertEquals("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", Crypto.hex(key));
    }

    @Test
    void bothMechanismsAtOnceAreRejected() {
        Wire wire = get("/bucket/key").withQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256");
        assertEquals(S3ErrorCode.InvalidArgument, failure(wire));
    }

    @Test
    void dateHeaderServesWhenXAmzDateIsAbsent() {
        Wire wire = get("/bucket/key");
        String authorization = wire.request().header("authorization").replace("x-amz-date", "date");
        Wire dated = wire.withHeader("x-amz-date", null).withHeader("authorization", authorization);
        // a current Date header is parsed and signed over: only the signature is then wrong
        assertEquals(S3ErrorCode.SignatureDoesNotMatch,
                failure(dated.withHeader("date", "Sun, 29 Nov 2026 10:15:30 GMT")));
        assertEquals(S3ErrorCode.RequestTimeTooSkewed,
                failure(dated.withHeader("date", "Sun, 29 Nov 2026 09:15:30 GMT")));
        assertEquals(S3ErrorCode.AccessDenied, failure(dated.withHeader("date", "yesterday")));
    }

    @Test
    void pathSignedExactlyAsSentIsAcceptedToo() {
        // a client that sends a raw '+' and signs the path as sent, as the Rust multistore accepts
        Wire wire = get("/bucket/dir/a%20b+c.txt");
        assertEquals("/bucket/dir/a%20b+c.txt", wire.request().rawPath());
        assertInstanceOf(Identity.LongLived.class, verify(wire).identity());
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, failure(wire.withPath("/bucket/dir/a%20b%2Bc.txt")));
    }

    @Test
    void theCanonicalRequestIsLoggedWithoutTheSessionToken() {
        String canonical = "GET\n/b/k\nX-Amz-Credential=a&X-Amz-Security-Token=SECRETTOKEN&X-Amz-Date=1\n"
                + "host:h\nx-amz-security-token:SECRETTOKEN\n\nhost;x-amz-security-token\nUNSIGNED-PAYLOAD";
        String logged = SigV4Verifier.withoutToken(canonical);
        org.junit.jupiter.api.Assertions.assertFalse(logged.contains("SECRETTOKEN"), logged);
        org.junit.jupiter.api.Assertions.assertEquals("GET\n/b/k\nX-Amz-Credential=a&X-Amz-Security-Token=<redacted>"
                + "&X-Amz-Date=1\nhost:h\nx-amz-security-token:<redacted>\n\nhost;x-amz-security-token\n"
                + "UNSIGNED-PAYLOAD", logged);
    }
}
