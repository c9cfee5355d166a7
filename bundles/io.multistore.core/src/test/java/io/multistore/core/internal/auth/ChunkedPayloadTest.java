package io.multistore.core.internal.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.core.internal.auth.SdkSigning.Wire;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** aws-chunked bodies as the AWS SDK encodes them: real PutObject/UploadPart captures and the signer's encoder. */
class ChunkedPayloadTest {

    static final Instant NOW = Instant.parse("2026-11-29T10:15:30Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static CapturingServer server;
    static S3Client s3;

    @BeforeAll
    static void startCapture() {
        server = new CapturingServer();
        s3 = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SdkSigning.ACCESS_KEY, SdkSigning.SECRET)))
                .build();
    }

    @AfterAll
    static void stopCapture() {
        s3.close();
        server.close();
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** A capture of the SDK's PutObject, verified with a real-time clock as its signature was made. */
    static VerifiedBody wrapCaptured(CapturingServer.Captured captured, byte[] body) {
        SigV4Verifier verifier = new SigV4Verifier(Clock.systemUTC());
        Authentication auth = verifier.authenticate(captured.request(), new Credentials(Instant.now()).standard());
        return PayloadVerifier.wrap(auth, captured.request(), new ByteArrayInputStream(body), body.length);
    }

    static CapturingServer.Captured putObject(byte[] data) {
        s3.putObject(b -> b.bucket("bucket").key("dir/a key ü.bin"), RequestBody.fromBytes(data));
        return server.last();
    }

    @Test
    void sdkPutObjectIsDecodedAndVerified() throws IOException {
        byte[] data = random(300_000, 1);
        CapturingServer.Captured captured = putObject(data);
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", captured.request().header("x-amz-content-sha256"));
        assertEquals("x-amz-checksum-crc32", captured.request().header("x-amz-trailer"));
        VerifiedBody body = wrapCaptured(captured, captured.body());
        assertEquals(data.length, body.length());
        assertArrayEquals(data, body.stream().readAllBytes());
        assertEquals(-1, body.stream().read());
    }

    @Test
    void sdkUploadPartIsDecodedAndVerified() throws IOException {
        byte[] data = random(70_000, 2);
        s3.uploadPart(b -> b.bucket("bucket").key("big").uploadId("upload-1").partNumber(3),
                RequestBody.fromBytes(data));
        CapturingServer.Captured captured = server.last();
        assertTrue(captured.request().rawQuery().contains("uploadId=upload-1"));
        VerifiedBody body = wrapCaptured(captured, captured.body());
        assertArrayEquals(data, new TrickleInputStream(body.stream(), 5000).readAllBytes());
    }

    @Test
    void sdkEmptyPutObjectIsDecoded() throws IOException {
        CapturingServer.Captured captured = putObject(new byte[0]);
        VerifiedBody body = wrapCaptured(captured, captured.body());
        assertEquals(0, body.length());
        assertEquals(-1, body.stream().read());
    }

    @Test
    void corruptedChunkDataFailsTheChunkSignature() {
        byte[] data = random(300_000, 3);
        CapturingServer.Captured captured = putObject(data);
        byte[] body = captured.body().clone();
        body[1000] ^= 1;
        PayloadException e = assertThrows(PayloadException.class,
                () -> wrapCaptured(captured, body).stream().readAllBytes());
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, e.s3Error().code());
    }

    @Test
    void corruptedTrailerChecksumFailsTheTrailerSignature() {
        CapturingServer.Captured captured = putObject(random(1000, 4));
        byte[] body = replaceTrailer(captured.body(), "x-amz-checksum-crc32", "AAAAAA==");
        PayloadException e = assertThrows(PayloadException.class,
                () -> wrapCaptured(captured, body).stream().readAllBytes());
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, e.s3Error().code());
    }

    @Test
    void wrongChecksumUnderAValidTrailerSignatureIsBadDigest() {
        byte[] data = random(3000, 9);
        CapturingServer.Captured captured = putObject(data);
        SigV4Verifier verifier = new SigV4Verifier(Clock.systemUTC());
        Authentication auth = verifier.authenticate(captured.request(), new Credentials(Instant.now()).standard());
        // re-sign the trailer over a wrong checksum, as a client with a broken checksum would
        String text = new String(captured.body(), StandardCharsets.ISO_8859_1);
        Matcher last = Pattern.compile("\r\n0;chunk-signature=([0-9a-f]{64})\r\n").matcher(text);
        assertTrue(last.find());
        String wrong = "x-amz-checksum-crc32:AAAAAA==\n";
        String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + auth.signing().timestamp() + "\n"
                + auth.signing().scope() + "\n" + last.group(1) + "\n" + Crypto.sha256Hex(wrong);
        String signature = Crypto.hex(Crypto.hmac(auth.signing().signingKey(), stringToSign));
        byte[] body = replaceTrailer(replaceTrailer(captured.body(), "x-amz-checksum-crc32", "AAAAAA=="),
                "x-amz-trailer-signature", signature);
        PayloadException e = assertThrows(PayloadException.class, () -> PayloadVerifier.wrap(auth,
                captured.request(), new ByteArrayInputStream(body), body.length).stream().readAllBytes());
        assertEquals(S3ErrorCode.BadDigest, e.s3Error().code());
    }

    @Test
    void contentMd5AppliesToTheDecodedBytes() throws Exception {
        byte[] data = "decoded bytes".getBytes(StandardCharsets.UTF_8);
        String framed = Integer.toHexString(data.length) + "\r\n" + new String(data, StandardCharsets.ISO_8859_1)
                + "\r\n0\r\n\r\n";
        byte[] raw = framed.getBytes(StandardCharsets.ISO_8859_1);
        String md5 = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(data));
        SignedRequest request = new SignedRequest("PUT", "/bucket/key", null, java.util.Map.of(
                "x-amz-content-sha256", java.util.List.of("STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                "content-md5", java.util.List.of(md5)));
        assertArrayEquals(data, PayloadVerifier.wrap(Authentication.ANONYMOUS, request, new ByteArrayInputStream(raw),
                raw.length).stream().readAllBytes());
        SignedRequest wrongMd5 = withHeader(request, "content-md5",
                Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(raw)));
        assertEquals(S3ErrorCode.BadDigest, assertThrows(PayloadException.class, () -> PayloadVerifier.wrap(
                Authentication.ANONYMOUS, wrongMd5, new ByteArrayInputStream(raw), raw.length).stream()
                .readNBytes(data.length)).s3Error().code());
    }

    @Test
    void theReadOfTheLastByteFailsForAConsumerThatStopsAtTheLength() {
        byte[] data = random(200_000, 5);
        CapturingServer.Captured captured = putObject(data);
        byte[] body = replaceTrailer(captured.body(), "x-amz-trailer-signature", "0".repeat(64));
        VerifiedBody verified = wrapCaptured(captured, body);
        InputStream stream = verified.stream();
        byte[] head = new byte[data.length - 1];
        int read = 0;
        try {
            while (read < head.length) {
                read += stream.read(head, read, head.length - read);
            }
        } catch (IOException e) {
            throw new AssertionError("the bytes before the last one are handed out", e);
        }
        PayloadException e = assertThrows(PayloadException.class, () -> stream.read(new byte[10], 0, 10));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, e.s3Error().code());
        // and readNBytes(length), as an uploader that knows the length reads, fails too
        PayloadException again = assertThrows(PayloadException.class,
                () -> wrapCaptured(captured, body).stream().readNBytes((int) verified.length()));
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, again.s3Error().code());
    }

    @Test
    void truncatedBodyIsIncomplete() {
        CapturingServer.Captured captured = putObject(random(300_000, 6));
        byte[] body = Arrays.copyOf(captured.body(), 200_000);
        PayloadException e = assertThrows(PayloadException.class,
                () -> wrapCaptured(captured, body).stream().readAllBytes());
        assertEquals(S3ErrorCode.IncompleteBody, e.s3Error().code());
    }

    @Test
    void decodedLengthMustMatch() {
        CapturingServer.Captured captured = putObject(random(5000, 7));
        SigV4Verifier verifier = new SigV4Verifier(Clock.systemUTC());
        Authentication auth = verifier.authenticate(captured.request(), new Credentials(Instant.now()).standard());
        SignedRequest longer = withHeader(captured.request(), "x-amz-decoded-content-length", "5001");
        PayloadException e = assertThrows(PayloadException.class, () -> PayloadVerifier.wrap(auth, longer,
                new ByteArrayInputStream(captured.body()), captured.body().length).stream().readAllBytes());
        assertEquals(S3ErrorCode.IncompleteBody, e.s3Error().code());
        // a body longer than declared is IncompleteBody too, as S3 answers it
        SignedRequest shorter = withHeader(captured.request(), "x-amz-decoded-content-length", "4999");
        e = assertThrows(PayloadException.class, () -> PayloadVerifier.wrap(auth, shorter,
                new ByteArrayInputStream(captured.body()), captured.body().length).stream().readAllBytes());
        assertEquals(S3ErrorCode.IncompleteBody, e.s3Error().code());
        // also for a consumer that reads exactly the declared length (a backend upload of known size): the last
        // declared byte is never handed over
        e = assertThrows(PayloadException.class, () -> PayloadVerifier.wrap(auth, shorter,
                new ByteArrayInputStream(captured.body()), captured.body().length).stream().readNBytes(4999));
        assertEquals(S3ErrorCode.IncompleteBody, e.s3Error().code());
    }

    // --- the signer's chunk encoder, for every payload mode and checksum algorithm

    static Wire signChunked(byte[] data, boolean signedPayload,
            software.amazon.awssdk.checksums.spi.ChecksumAlgorithm checksum) {
        // over https the SDK leaves chunks unsigned when payload signing is off; over http it always signs
        return SdkSigning.sign(SdkSigning.request(SdkHttpMethod.PUT, "/bucket/key")
                        .uri(java.net.URI.create("https://127.0.0.1:9000")).encodedPath("/bucket/key"), data, CLOCK,
                AwsCredentialsIdentity.create(SdkSigning.ACCESS_KEY, SdkSigning.SECRET), b -> {
                    b.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                            .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, signedPayload);
                    if (checksum != null) {
                        b.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, checksum);
                    }
                });
    }

    static VerifiedBody wrap(Wire wire, byte[] body) {
        Authentication auth = new SigV4Verifier(CLOCK).authenticate(wire.request(), new Credentials(NOW).standard());
        return PayloadVerifier.wrap(auth, wire.request(), new ByteArrayInputStream(body), body.length);
    }

    enum Algorithm {
        CRC32(DefaultChecksumAlgorithm.CRC32),
        CRC32C(DefaultChecksumAlgorithm.CRC32C),
        SHA1(DefaultChecksumAlgorithm.SHA1),
        SHA256(DefaultChecksumAlgorithm.SHA256);
        // the SDK computes CRC64NVME only with the native CRT library: Crc64NvmeTest covers ours

        final software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdk;

        Algorithm(software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdk) {
            this.sdk = sdk;
        }

        String trailer() {
            return "x-amz-checksum-" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Test
    void signedChunksWithoutTrailer() throws IOException {
        byte[] data = random(150_000, 8);
        Wire wire = signChunked(data, true, null);
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", wire.request().header("x-amz-content-sha256"));
        assertArrayEquals(data, wrap(wire, wire.body()).stream().readAllBytes());
        assertArrayEquals(data, readOneByOne(wrap(wire, wire.body()).stream()));
        // the framing split across every possible read boundary of the raw stream
        Authentication auth = new SigV4Verifier(CLOCK).authenticate(wire.request(), new Credentials(NOW).standard());
        InputStream trickled = new TrickleInputStream(new ByteArrayInputStream(wire.body()), 7);
        assertArrayEquals(data, PayloadVerifier.wrap(auth, wire.request(), trickled, wire.body().length).stream()
                .readAllBytes());

        byte[] corrupt = wire.body().clone();
        corrupt[corrupt.length - 100] ^= 0x40;
        assertEquals(S3ErrorCode.SignatureDoesNotMatch, assertThrows(PayloadException.class,
                () -> wrap(wire, corrupt).stream().readAllBytes()).s3Error().code());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void signedChunksWithChecksumTrailer(Algorithm algorithm) throws IOException {
        byte[] data = random(140_000, algorithm.ordinal());
        Wire wire = signChunked(data, true, algorithm.sdk);
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", wire.request().header("x-amz-content-sha256"));
        assertEquals(algorithm.trailer(), wire.request().header("x-amz-trailer"));
        assertArrayEquals(data, new TrickleInputStream(wrap(wire, wire.body()).stream(), 777).readAllBytes());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void unsignedChunksWithChecksumTrailer(Algorithm algorithm) throws IOException {
        byte[] data = random(140_000, 10 + algorithm.ordinal());
        Wire wire = signChunked(data, false, algorithm.sdk);
        assertEquals("STREAMING-UNSIGNED-PAYLOAD-TRAILER", wire.request().header("x-amz-content-sha256"));
        assertArrayEquals(data, new TrickleInputStream(wrap(wire, wire.body()).stream(), 3).readAllBytes());

        // a corrupted byte of data: the chunks carry no signature, the trailing checksum catches it
        byte[] corruptData = wire.body().clone();
        corruptData[50_000] ^= 1;
        assertEquals(S3ErrorCode.BadDigest, assertThrows(PayloadException.class,
                () -> wrap(wire, corruptData).stream().readAllBytes()).s3Error().code());

        // a well-formed checksum of other bytes
        String other = Base64.getEncoder().encodeToString(checksumOf(algorithm, "other".getBytes()));
        byte[] corruptTrailer = replaceTrailer(wire.body(), algorithm.trailer(), other);
        PayloadException e = assertThrows(PayloadException.class,
                () -> wrap(wire, corruptTrailer).stream().readNBytes(data.length));
        assertEquals(S3ErrorCode.BadDigest, e.s3Error().code());
    }

    @Test
    void trailerNotAnnouncedIsRejected() {
        byte[] data = random(1000, 20);
        Wire wire = signChunked(data, false, DefaultChecksumAlgorithm.CRC32);
        Wire unannounced = wire.withHeader("x-amz-trailer", null);
        assertEquals(S3ErrorCode.InvalidRequest, assertThrows(PayloadException.class,
                () -> PayloadVerifier.wrap(Authentication.ANONYMOUS, unannounced.request(),
                        new ByteArrayInputStream(wire.body()), wire.body().length).stream().readAllBytes())
                .s3Error().code());
    }

    @Test
    void unsignedTrailerFramingIsDecodedForAnonymousCallers() throws IOException {
        byte[] data = "hello, chunks".getBytes(StandardCharsets.UTF_8);
        String crc = Base64.getEncoder().encodeToString(checksumOf(Algorithm.CRC32, data));
        String framed = Integer.toHexString(data.length) + "\r\n" + new String(data, StandardCharsets.ISO_8859_1)
                + "\r\n0\r\nx-amz-checksum-crc32:" + crc + "\r\n\r\n";
        SignedRequest request = new SignedRequest("PUT", "/bucket/key", null, java.util.Map.of(
                "x-amz-content-sha256", java.util.List.of("STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                "x-amz-trailer", java.util.List.of("x-amz-checksum-crc32"),
                "x-amz-decoded-content-length", java.util.List.of(Integer.toString(data.length))));
        byte[] raw = framed.getBytes(StandardCharsets.ISO_8859_1);
        VerifiedBody body = PayloadVerifier.wrap(Authentication.ANONYMOUS, request, new ByteArrayInputStream(raw),
                raw.length);
        assertEquals(data.length, body.length());
        assertArrayEquals(data, body.stream().readAllBytes());
        // signed streaming needs a signed request
        SignedRequest signedMode = withHeader(request, "x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        assertThrows(S3Exception.class, () -> PayloadVerifier.wrap(Authentication.ANONYMOUS, signedMode,
                new ByteArrayInputStream(raw), raw.length));
    }

    @Test
    void malformedFramingIsRejected() {
        SignedRequest request = new SignedRequest("PUT", "/bucket/key", null, java.util.Map.of(
                "x-amz-content-sha256", java.util.List.of("STREAMING-UNSIGNED-PAYLOAD-TRAILER")));
        for (String framed : new String[] {"zz\r\nabc\r\n0\r\n\r\n", "3\r\nabcX\r\n0\r\n\r\n", "3\nabc\r\n0\r\n\r\n",
            "3\r\nab"}) {
            byte[] raw = framed.getBytes(StandardCharsets.ISO_8859_1);
            PayloadException e = assertThrows(PayloadException.class, () -> PayloadVerifier.wrap(
                    Authentication.ANONYMOUS, request, new ByteArrayInputStream(raw), raw.length).stream()
                    .readAllBytes(), framed);
            assertTrue(e.s3Error().code() == S3ErrorCode.InvalidRequest
                    || e.s3Error().code() == S3ErrorCode.IncompleteBody, framed);
        }
    }

    // --- helpers

    static byte[] checksumOf(Algorithm algorithm, byte[] data) {
        software.amazon.awssdk.checksums.SdkChecksum checksum =
                software.amazon.awssdk.checksums.SdkChecksum.forAlgorithm(algorithm.sdk);
        checksum.update(data, 0, data.length);
        return checksum.getChecksumBytes();
    }

    static SignedRequest withHeader(SignedRequest request, String name, String value) {
        java.util.Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>(request.headers());
        headers.put(name, java.util.List.of(value));
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers);
    }

    /** Replaces the value of one trailing header line of an encoded body. */
    static byte[] replaceTrailer(byte[] body, String name, String value) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("(\r\n" + Pattern.quote(name) + ":)([^\r]*)(\r\n)").matcher(text);
        assertTrue(m.find(), "no trailer " + name);
        String replaced = text.substring(0, m.start(2)) + value + text.substring(m.end(2));
        return replaced.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] readOneByOne(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            out.write(b);
        }
        return out.toByteArray();
    }

    /** Hands out at most {@code max} bytes per read, as a slow network does. */
    static final class TrickleInputStream extends FilterInputStream {
        private final int max;

        TrickleInputStream(InputStream in, int max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, max));
        }
    }
}
