package io.multistore.core.internal.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.core.internal.auth.SdkSigning.Wire;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;

/** Bodies sent in one piece: x-amz-content-sha256, Content-MD5 and checksum headers, length. */
class PlainPayloadTest {

    static final Instant NOW = Instant.parse("2026-11-29T10:15:30Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final byte[] DATA = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);

    static SignedRequest request(String... headerPairs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        return new SignedRequest("PUT", "/bucket/key", null, headers);
    }

    static VerifiedBody wrap(SignedRequest request, byte[] body, long length) {
        return PayloadVerifier.wrap(Authentication.ANONYMOUS, request, new ByteArrayInputStream(body), length);
    }

    static S3ErrorCode failureReadingExactly(VerifiedBody body, int length) {
        return assertThrows(PayloadException.class, () -> body.stream().readNBytes(length)).s3Error().code();
    }

    @Test
    void signedPayloadHashIsVerified() throws IOException {
        Wire wire = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.PUT, "/bucket/key"), DATA, CLOCK);
        Authentication auth = new SigV4Verifier(CLOCK).authenticate(wire.request(), new Credentials(NOW).standard());
        VerifiedBody body = PayloadVerifier.wrap(auth, wire.request(), new ByteArrayInputStream(DATA), DATA.length);
        assertEquals(DATA.length, body.length());
        assertArrayEquals(DATA, body.stream().readAllBytes());

        byte[] other = DATA.clone();
        other[other.length - 1] = 'G';
        VerifiedBody tampered = PayloadVerifier.wrap(auth, wire.request(), new ByteArrayInputStream(other),
                other.length);
        // the consumer stops at Content-Length: the read of the last byte is the one that fails
        InputStream stream = tampered.stream();
        byte[] buffer = new byte[DATA.length];
        assertEquals(DATA.length - 1, stream.read(buffer, 0, DATA.length - 1));
        assertEquals(S3ErrorCode.XAmzContentSHA256Mismatch,
                assertThrows(PayloadException.class, () -> stream.read(buffer, 0, 1)).s3Error().code());
        // and keeps failing
        assertThrows(PayloadException.class, stream::read);
    }

    @Test
    void payloadHashMismatchWithUnknownLengthFailsAtTheEnd() {
        SignedRequest request = request("x-amz-content-sha256", Crypto.EMPTY_SHA256);
        PayloadException e = assertThrows(PayloadException.class, () -> wrap(request, DATA, -1).stream()
                .readAllBytes());
        assertEquals(S3ErrorCode.XAmzContentSHA256Mismatch, e.s3Error().code());
        assertSame(e.s3Error(), e.s3Error());
    }

    @Test
    void contentMd5IsVerified() throws Exception {
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(DATA));
        assertArrayEquals(DATA, wrap(request("content-md5", md5, "x-amz-content-sha256", "UNSIGNED-PAYLOAD"), DATA,
                DATA.length).stream().readAllBytes());
        String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1]));
        assertEquals(S3ErrorCode.BadDigest,
                failureReadingExactly(wrap(request("content-md5", wrong), DATA, DATA.length), DATA.length));
        assertEquals(S3ErrorCode.InvalidDigest, assertThrows(S3Exception.class,
                () -> wrap(request("content-md5", "not-base64!"), DATA, DATA.length)).code());
        assertEquals(S3ErrorCode.InvalidDigest, assertThrows(S3Exception.class,
                () -> wrap(request("content-md5", "AAAA"), DATA, DATA.length)).code());
    }

    @Test
    void checksumHeaderIsVerified() throws IOException {
        CRC32 crc = new CRC32();
        crc.update(DATA);
        String good = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue())
                .array());
        assertArrayEquals(DATA, wrap(request("x-amz-checksum-crc32", good), DATA, DATA.length).stream()
                .readAllBytes());
        assertEquals(S3ErrorCode.BadDigest,
                failureReadingExactly(wrap(request("x-amz-checksum-crc32", "AAAAAA=="), DATA, DATA.length),
                        DATA.length));
        assertEquals(S3ErrorCode.InvalidRequest, assertThrows(S3Exception.class,
                () -> wrap(request("x-amz-checksum-sha256", "AAAAAA=="), DATA, DATA.length)).code());
    }

    @Test
    void shortBodyIsIncomplete() {
        byte[] truncated = Arrays.copyOf(DATA, 10);
        PayloadException e = assertThrows(PayloadException.class,
                () -> wrap(request("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), truncated, DATA.length).stream()
                        .readAllBytes());
        assertEquals(S3ErrorCode.IncompleteBody, e.s3Error().code());
    }

    @Test
    void unsignedPayloadPassesThrough() throws IOException {
        VerifiedBody body = wrap(request("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), DATA, DATA.length);
        assertEquals(DATA.length, body.length());
        assertArrayEquals(DATA, body.stream().readAllBytes());
        VerifiedBody unknown = wrap(request(), DATA, -1);
        assertEquals(-1, unknown.length());
        assertArrayEquals(DATA, unknown.stream().readAllBytes());
        // only Content-Length bytes belong to the object
        VerifiedBody bounded = wrap(request(), DATA, 9);
        assertArrayEquals(Arrays.copyOf(DATA, 9), bounded.stream().readAllBytes());
    }

    @Test
    void emptyBodyWithEmptyHash() throws IOException {
        VerifiedBody body = wrap(request("x-amz-content-sha256", Crypto.EMPTY_SHA256), new byte[0], 0);
        assertEquals(-1, body.stream().read());
        assertEquals(S3ErrorCode.XAmzContentSHA256Mismatch, assertThrows(PayloadException.class,
                () -> wrap(request("x-amz-content-sha256", Crypto.sha256Hex("x")), new byte[0], 0).stream().read())
                .s3Error().code());
    }
}
