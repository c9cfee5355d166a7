package io.multistore.core.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.core.internal.auth.SdkSigning.Wire;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

class PresignedUrlTest {

    static final Instant NOW = Instant.parse("2026-11-29T10:15:30Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(URI.create("http://127.0.0.1:9000"))
                .region(Region.of("eu-west-3"))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SdkSigning.ACCESS_KEY, SdkSigning.SECRET)))
                .build();
    }

    /** A presigned URL as a client would send it: its path and query verbatim, plus the signed headers. */
    static SignedRequest fromUrl(String method, URL url, Map<String, List<String>> signedHeaders) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signedHeaders.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        headers.putIfAbsent("host", List.of(url.getHost() + ":" + url.getPort()));
        return new SignedRequest(method, url.getPath(), url.getQuery(), headers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.txt", "with space/ünï+code=*~%.bin", "a&b=c?d"})
    void sdkPresignedGetVerifies(String key) {
        SigV4Verifier verifier = new SigV4Verifier(Clock.systemUTC());
        Credentials credentials = new Credentials(Instant.now()).standard();
        try (S3Presigner presigner = presigner()) {
            PresignedGetObjectRequest presigned = presigner.presignGetObject(b -> b
                    .signatureDuration(Duration.ofMinutes(10))
                    .getObjectRequest(r -> r.bucket("bucket").key(key).responseContentType("text/plain")));
            SignedRequest request = fromUrl("GET", presigned.url(), presigned.signedHeaders());
            assertTrue(request.rawQuery().contains("X-Amz-Signature="));
            Authentication auth = verifier.authenticate(request, credentials);
            assertInstanceOf(Identity.LongLived.class, auth.identity());
            assertEquals(S3ErrorCode.SignatureDoesNotMatch, assertThrows(S3Exception.class,
                    () -> verifier.authenticate(new SignedRequest("PUT", request.rawPath(), request.rawQuery(),
                            request.headers()), credentials)).code());
            assertEquals(S3ErrorCode.SignatureDoesNotMatch, assertThrows(S3Exception.class,
                    () -> verifier.authenticate(new SignedRequest("GET", request.rawPath() + "x", request.rawQuery(),
                            request.headers()), credentials)).code());
            assertEquals(S3ErrorCode.SignatureDoesNotMatch, assertThrows(S3Exception.class,
                    () -> verifier.authenticate(new SignedRequest("GET", request.rawPath(),
                            request.rawQuery().replace("text%2Fplain", "text%2Fhtml"), request.headers()),
                            credentials)).code());
        }
    }

    @Test
    void sdkPresignedPutVerifiesAndItsBodyPassesThrough() throws Exception {
        SigV4Verifier verifier = new SigV4Verifier(Clock.systemUTC());
        Credentials credentials = new Credentials(Instant.now()).standard();
        try (S3Presigner presigner = presigner()) {
            PresignedPutObjectRequest presigned = presigner.presignPutObject(b -> b
                    .signatureDuration(Duration.ofHours(1))
                    .putObjectRequest(r -> r.bucket("bucket").key("upload/file.bin").contentType("application/x")));
            SignedRequest request = fromUrl("PUT", presigned.url(), presigned.signedHeaders());
            Authentication auth = verifier.authenticate(request, credentials);
            assertInstanceOf(Identity.LongLived.class, auth.identity());
            byte[] body = "presigned body".getBytes(StandardCharsets.UTF_8);
            VerifiedBody verified = PayloadVerifier.wrap(auth, request, new ByteArrayInputStream(body), body.length);
            assertEquals(body.length, verified.length());
            assertEquals("presigned body", new String(verified.stream().readAllBytes(), StandardCharsets.UTF_8));
            // the signed Content-Type header cannot be swapped
            Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
            headers.put("content-type", List.of("text/html"));
            assertEquals(S3ErrorCode.SignatureDoesNotMatch, assertThrows(S3Exception.class,
                    () -> verifier.authenticate(new SignedRequest("PUT", request.rawPath(), request.rawQuery(),
                            headers), credentials)).code());
        }
    }

    static Wire presign(Clock clock, Duration expiry) {
        return SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/bucket/key")
                        .putRawQueryParameter("versionId", "v 1"), null, clock,
                AwsCredentialsIdentity.create(SdkSigning.ACCESS_KEY, SdkSigning.SECRET),
                b -> b.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expiry)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    }

    @Test
    void signerPresignedUrlVerifiesUntilItExpires() {
        Credentials credentials = new Credentials(NOW).standard();
        Wire wire = presign(CLOCK, Duration.ofMinutes(5));
        assertNull(wire.request().header("authorization"));
        SigV4Verifier justBefore = new SigV4Verifier(Clock.fixed(NOW.plusSeconds(300), ZoneOffset.UTC));
        assertInstanceOf(Identity.LongLived.class, justBefore.authenticate(wire.request(), credentials).identity());

        SigV4Verifier after = new SigV4Verifier(Clock.fixed(NOW.plusSeconds(301), ZoneOffset.UTC));
        S3Exception expired = assertThrows(S3Exception.class, () -> after.authenticate(wire.request(), credentials));
        assertEquals(S3ErrorCode.AccessDenied, expired.code());
        assertEquals("Request has expired", expired.getMessage());
    }

    @Test
    void presignedUrlsAreValidForAtMostAWeek() {
        Credentials credentials = new Credentials(NOW).standard();
        SigV4Verifier verifier = new SigV4Verifier(CLOCK);
        Wire week = presign(CLOCK, Duration.ofSeconds(604_800));
        assertInstanceOf(Identity.LongLived.class, verifier.authenticate(week.request(), credentials).identity());
        Wire longer = week.withQuery(week.request().rawQuery().replace("X-Amz-Expires=604800", "X-Amz-Expires=604801"));
        assertEquals(S3ErrorCode.AuthorizationQueryParametersError,
                assertThrows(S3Exception.class, () -> verifier.authenticate(longer.request(), credentials)).code());
    }

    @Test
    void tamperedPresignedParametersFail() {
        Credentials credentials = new Credentials(NOW).standard();
        SigV4Verifier verifier = new SigV4Verifier(CLOCK);
        Wire wire = presign(CLOCK, Duration.ofMinutes(5));
        String query = wire.request().rawQuery();
        assertInstanceOf(Identity.LongLived.class, verifier.authenticate(wire.request(), credentials).identity());
        for (String tampered : List.of(query.replace("X-Amz-Expires=300", "X-Amz-Expires=299"),
                query.replace("versionId=v%201", "versionId=v%202"), query + "&extra=1")) {
            assertEquals(S3ErrorCode.SignatureDoesNotMatch, assertThrows(S3Exception.class,
                    () -> verifier.authenticate(wire.withQuery(tampered).request(), credentials)).code(), tampered);
        }
        String noSignature = query.replaceAll("&?X-Amz-Signature=[0-9a-f]+", "");
        assertEquals(S3ErrorCode.AuthorizationQueryParametersError, assertThrows(S3Exception.class,
                () -> verifier.authenticate(wire.withQuery(noSignature).request(), credentials)).code());
    }

    @Test
    void presignedWithSessionToken() {
        Credentials credentials = new Credentials(NOW).session("tok/en+1=", "ASIATEMP", "temp", NOW.plusSeconds(900));
        SigV4Verifier verifier = new SigV4Verifier(CLOCK);
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, "/bucket/key"), null, CLOCK,
                software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity.create("ASIATEMP", "temp",
                        "tok/en+1="),
                b -> b.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5))
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        assertTrue(wire.request().rawQuery().contains("X-Amz-Security-Token="), wire.request().rawQuery());
        assertInstanceOf(Identity.Temporary.class, verifier.authenticate(wire.request(), credentials).identity());
    }
}
