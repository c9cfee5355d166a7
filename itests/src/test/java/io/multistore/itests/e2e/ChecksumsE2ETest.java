package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.S3ProxyServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Flexible checksums kept and returned, GetObjectAttributes and GET/HEAD by part number, through the distribution
 * with the AWS SDK for Java v2 — which validates the full-object checksums it receives — on the filesystem backend
 * ({@code local}) and on S3Proxy ({@code remote}). Expected multipart checksums are computed here from the bytes,
 * and S3Proxy, which computes them itself, must agree with them as well.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChecksumsE2ETest {
    private static final int MIB = 1 << 20;

    @TempDir
    static Path temp;

    S3ProxyServer s3proxy;
    MultistoreServer server;
    S3Client client;
    final byte[] part1 = bytes(5 * MIB, 1);
    final byte[] part2 = bytes(MIB + 17, 2);

    @BeforeAll
    void start() throws Exception {
        s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("backend");
        Path config = temp.resolve("config.toml");
        String actions = String.join(", ", LocalGateway.objectActions().stream().map(a -> "\"" + a + "\"")
                .toList());
        // E2E.fsConfig's credential gets a second scope, on the S3Proxy bucket; a second credential may only HEAD
        Files.writeString(config, E2E.fsConfig(temp.resolve("buckets/local"), false, "checksums-e2e", actions) + """
                [[credentials.allowed_scopes]]
                bucket = "remote"
                actions = [%s]

                [[buckets]]
                name = "remote"
                backend_type = "s3"
                backend_prefix = "gw"
                anonymous_access = false
                [buckets.backend_options]
                endpoint = "%s"
                region = "us-east-1"
                bucket_name = "backend"
                access_key_id = "%s"
                secret_access_key = "%s"

                [[credentials]]
                access_key_id = "%s"
                secret_access_key = "%s"
                principal_name = "head-only"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "local"
                actions = ["head_object"]
                """.formatted(actions, s3proxy.endpoint(), s3proxy.identity(), s3proxy.credential(), E2E.READER_KEY,
                E2E.READER_SECRET));
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        server = MultistoreServer.start(home, config, List.of(), Map.of("JAVA_OPTS", "-Xmx256m"));
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        E2E.awaitReady(client, server, "local");
        E2E.awaitReady(client, server, "remote");
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "remote"})
    void putStoresTheChecksumAndGetReturnsIt(String bucket) {
        byte[] data = bytes(100_000, 3);
        for (ChecksumAlgorithm algorithm : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C,
                ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256)) {
            String key = "put/" + algorithm;
            String expected = expected(algorithm, data);
            // the SDK sends the checksum as an aws-chunked trailer; the S3 backend passes it on as a signed trailer,
            // from which S3Proxy keeps none: there the value goes as a header, which it keeps
            PutObjectResponse put = bucket.equals("local")
                    ? client.putObject(b -> b.bucket(bucket).key(key).checksumAlgorithm(algorithm),
                            RequestBody.fromBytes(data))
                    : client.putObject(b -> withValue(b.bucket(bucket).key(key), algorithm, expected),
                            RequestBody.fromBytes(data));
            assertEquals(expected, value(put.checksumCRC32(), put.checksumCRC32C(), put.checksumSHA1(),
                    put.checksumSHA256()), algorithm.toString());
            // the SDK validates the checksum of what it reads against the header
            ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket(bucket).key(key)
                    .checksumMode(ChecksumMode.ENABLED));
            assertArrayEquals(data, got.asByteArray());
            GetObjectResponse r = got.response();
            assertEquals(expected, value(r.checksumCRC32(), r.checksumCRC32C(), r.checksumSHA1(),
                    r.checksumSHA256()), algorithm.toString());
            assertEquals(ChecksumType.FULL_OBJECT, r.checksumType());
            HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key(key)
                    .checksumMode(ChecksumMode.ENABLED));
            assertEquals(expected, value(head.checksumCRC32(), head.checksumCRC32C(), head.checksumSHA1(),
                    head.checksumSHA256()), algorithm.toString());
            // not asked for: not sent
            assertNull(client.headObject(b -> b.bucket(bucket).key(key)).checksumType());
        }
        // a checksum sent as a header, up front
        String crc = expected(ChecksumAlgorithm.CRC32_C, data);
        client.putObject(b -> b.bucket(bucket).key("put/header").checksumCRC32C(crc), RequestBody.fromBytes(data));
        assertEquals(crc, client.headObject(b -> b.bucket(bucket).key("put/header")
                .checksumMode(ChecksumMode.ENABLED)).checksumCRC32C());
        // a wrong one is refused, and nothing is stored
        String wrong = expected(ChecksumAlgorithm.CRC32_C, new byte[] {1});
        assertStatus(400, "BadDigest", () -> client.putObject(b -> b.bucket(bucket).key("put/wrong")
                .checksumCRC32C(wrong), RequestBody.fromBytes(data)));
        assertStatus(404, null, () -> client.headObject(b -> b.bucket(bucket).key("put/wrong")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "remote"})
    void compositeMultipartChecksum(String bucket) throws Exception {
        String key = "mpu/composite";
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)).uploadId();
        List<CompletedPart> parts = upload(bucket, key, uploadId, ChecksumAlgorithm.CRC32_C);
        if (bucket.equals("local")) {
            // S3Proxy's ListParts reports no checksums
            ListPartsResponse listed = client.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            assertEquals(ChecksumAlgorithm.CRC32_C, listed.checksumAlgorithm());
            assertEquals(ChecksumType.COMPOSITE, listed.checksumType());
            assertEquals(crc(new CRC32C(), part1), listed.parts().get(0).checksumCRC32C());
            assertEquals(crc(new CRC32C(), part2), listed.parts().get(1).checksumCRC32C());
        }

        CompleteMultipartUploadResponse done = client.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        CRC32C ofCrcs = new CRC32C();
        ofCrcs.update(Base64.getDecoder().decode(crc(new CRC32C(), part1)));
        ofCrcs.update(Base64.getDecoder().decode(crc(new CRC32C(), part2)));
        String composite = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) ofCrcs.getValue())
                .array());
        assertEquals(composite + "-2", done.checksumCRC32C());
        assertEquals(ChecksumType.COMPOSITE, done.checksumType());

        HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
        assertEquals(composite + "-2", head.checksumCRC32C());
        assertEquals(ChecksumType.COMPOSITE, head.checksumType());
        // the SDK does not validate a composite checksum against the body, but reads the object with it
        assertArrayEquals(concat(part1, part2), client.getObjectAsBytes(b -> b.bucket(bucket).key(key)
                .checksumMode(ChecksumMode.ENABLED)).asByteArray());

        GetObjectAttributesResponse attributes = client.getObjectAttributes(b -> b.bucket(bucket).key(key)
                .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS,
                        ObjectAttributes.STORAGE_CLASS, ObjectAttributes.OBJECT_SIZE));
        assertEquals(head.eTag().replace("\"", ""), attributes.eTag());
        assertEquals((long) part1.length + part2.length, attributes.objectSize());
        assertEquals("STANDARD", attributes.storageClassAsString());
        assertEquals(composite, attributes.checksum().checksumCRC32C());
        assertEquals(ChecksumType.COMPOSITE, attributes.checksum().checksumType());
        assertEquals(2, attributes.objectParts().totalPartsCount());
        if (bucket.equals("local")) {
            // the part list (S3Proxy reports only the count)
            assertEquals(List.of(1, 2), attributes.objectParts().parts().stream().map(p -> p.partNumber()).toList());
            assertEquals(part2.length, attributes.objectParts().parts().get(1).size());
            assertEquals(crc(new CRC32C(), part2), attributes.objectParts().parts().get(1).checksumCRC32C());
            GetObjectAttributesResponse page = client.getObjectAttributes(b -> b.bucket(bucket).key(key)
                    .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(1).partNumberMarker(1));
            assertEquals(List.of(2), page.objectParts().parts().stream().map(p -> p.partNumber()).toList());
            assertEquals(false, page.objectParts().isTruncated());
            assertNull(page.eTag());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "remote"})
    void fullObjectMultipartChecksum(String bucket) {
        String key = "mpu/full";
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        List<CompletedPart> parts = upload(bucket, key, uploadId, ChecksumAlgorithm.CRC32);
        CompleteMultipartUploadResponse done = client.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        String whole = crc(new CRC32(), concat(part1, part2));
        assertEquals(whole, done.checksumCRC32());
        assertEquals(ChecksumType.FULL_OBJECT, done.checksumType());
        // the SDK validates the full-object CRC against all the bytes it reads
        ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket(bucket).key(key)
                .checksumMode(ChecksumMode.ENABLED));
        assertArrayEquals(concat(part1, part2), got.asByteArray());
        assertEquals(whole, got.response().checksumCRC32());
        assertEquals(ChecksumType.FULL_OBJECT, got.response().checksumType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "remote"})
    void partNumberReadsOnePart(String bucket) {
        String key = "mpu/parts";
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = upload(bucket, key, uploadId, null);
        client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        if (bucket.equals("remote")) {
            // S3Proxy does not serve partNumber, and the gateway cannot know the part sizes without it
            assertStatus(501, "NotImplemented", () -> client.getObject(b -> b.bucket(bucket).key(key).partNumber(2)));
        } else {
            multipartParts(bucket, key);
        }
        // an object put in one piece is its own part 1
        client.putObject(b -> b.bucket(bucket).key("single"), RequestBody.fromString("one piece"));
        ResponseBytes<GetObjectResponse> single = client.getObjectAsBytes(b -> b.bucket(bucket).key("single")
                .partNumber(1));
        assertEquals("one piece", single.asUtf8String());
        assertEquals("bytes 0-8/9", single.response().contentRange());
        assertStatus(416, "InvalidPartNumber", () -> client.getObject(b -> b.bucket(bucket).key("single")
                .partNumber(2)));
    }

    private void multipartParts(String bucket, String key) {
        ResponseBytes<GetObjectResponse> second = client.getObjectAsBytes(b -> b.bucket(bucket).key(key)
                .partNumber(2));
        assertArrayEquals(part2, second.asByteArray());
        assertEquals("bytes " + part1.length + "-" + (part1.length + part2.length - 1) + "/"
                + (part1.length + part2.length), second.response().contentRange());
        assertEquals(2, second.response().partsCount());
        HeadObjectResponse first = client.headObject(b -> b.bucket(bucket).key(key).partNumber(1));
        assertEquals(part1.length, first.contentLength());
        assertEquals(2, first.partsCount());
        assertEquals("bytes 0-" + (part1.length - 1) + "/" + (part1.length + part2.length), first.contentRange());
        assertStatus(416, "InvalidPartNumber", () -> client.getObject(b -> b.bucket(bucket).key(key).partNumber(3)));
        // uploaded without checksums: S3 gives the part count but lists no parts
        GetObjectAttributesResponse attributes = client.getObjectAttributes(b -> b.bucket(bucket).key(key)
                .objectAttributes(ObjectAttributes.OBJECT_PARTS, ObjectAttributes.CHECKSUM));
        assertEquals(2, attributes.objectParts().totalPartsCount());
        assertFalse(attributes.objectParts().hasParts());
        assertNull(attributes.checksum());
    }

    @Test
    void errorsAsS3AnswersThem() throws Exception {
        String bucket = "local";
        client.putObject(b -> b.bucket(bucket).key("err/obj"), RequestBody.fromString("x"));
        // partNumber out of 1..10000, and beside a Range
        assertStatus(400, "InvalidArgument", () -> client.getObject(b -> b.bucket(bucket).key("err/obj")
                .partNumber(0)));
        // HEAD answers have no body: the status tells
        assertStatus(400, null, () -> client.headObject(b -> b.bucket(bucket).key("err/obj")
                .partNumber(10001)));
        assertStatus(400, "InvalidRequest", () -> client.getObject(b -> b.bucket(bucket).key("err/obj")
                .partNumber(1).range("bytes=0-0")));
        // an algorithm S3 does not have, and a type the algorithm does not have
        assertStatus(400, "InvalidRequest", () -> client.createMultipartUpload(b -> b.bucket(bucket)
                .key("err/mpu").checksumAlgorithm("MD5")));
        assertStatus(400, "InvalidRequest", () -> client.createMultipartUpload(b -> b.bucket(bucket)
                .key("err/mpu").checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumType(ChecksumType.FULL_OBJECT)));
        // a part with another algorithm than its upload's
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key("err/mpu")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)).uploadId();
        // (refused before the body is read, so that connection is not reused: a client of its own)
        try (S3Client once = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            assertStatus(400, "InvalidRequest", () -> once.uploadPart(b -> b.bucket(bucket).key("err/mpu")
                    .uploadId(uploadId).partNumber(1).checksumAlgorithm(ChecksumAlgorithm.SHA1),
                    RequestBody.fromString("part")));
        }
        // a part checksum in the completion that is not the part's
        UploadPartResponse part = client.uploadPart(b -> b.bucket(bucket).key("err/mpu").uploadId(uploadId)
                .partNumber(1).checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromString("part"));
        String wrong = crc(new CRC32C(), new byte[] {9});
        assertStatus(400, "InvalidPart", () -> client.completeMultipartUpload(b -> b.bucket(bucket).key("err/mpu")
                .uploadId(uploadId).multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1)
                        .eTag(part.eTag()).checksumCRC32C(wrong).build()))));
        // GetObjectAttributes: no attributes named, an unknown one, a missing key, and a caller without get_object
        URI uri = server.endpoint().resolve("/local/err/obj?attributes");
        RawHttp.Response none = RawHttp.send(server.port(), "GET", "/local/err/obj?attributes",
                RawHttp.signed("GET", uri, List.of(), new byte[0], E2E.KEY, E2E.SECRET), new byte[0]);
        assertEquals(400, none.status(), none::toString);
        assertTrue(none.text().contains("<Code>InvalidArgument</Code>"), none::toString);
        List<String[]> unknownName = List.<String[]>of(new String[] {"x-amz-object-attributes", "ETag,Colour"});
        RawHttp.Response unknown = RawHttp.send(server.port(), "GET", "/local/err/obj?attributes",
                RawHttp.signed("GET", uri, unknownName, new byte[0], E2E.KEY, E2E.SECRET), new byte[0]);
        assertEquals(400, unknown.status(), unknown::toString);
        assertTrue(unknown.text().contains("<Code>InvalidArgument</Code>"), unknown::toString);
        assertStatus(404, "NoSuchKey", () -> client.getObjectAttributes(b -> b.bucket(bucket).key("err/absent")
                .objectAttributes(ObjectAttributes.E_TAG)));
        try (S3Client headOnly = Clients.pathStyle(server.endpoint(), E2E.READER_KEY, E2E.READER_SECRET)) {
            assertStatus(403, "AccessDenied", () -> headOnly.getObjectAttributes(b -> b.bucket(bucket)
                    .key("err/obj").objectAttributes(ObjectAttributes.E_TAG)));
        }
        // a single-part object has no ObjectParts
        GetObjectAttributesResponse single = client.getObjectAttributes(b -> b.bucket(bucket).key("err/obj")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS, ObjectAttributes.OBJECT_SIZE));
        assertNull(single.objectParts());
        assertEquals(1L, single.objectSize());
    }

    private static software.amazon.awssdk.services.s3.model.PutObjectRequest.Builder withValue(
            software.amazon.awssdk.services.s3.model.PutObjectRequest.Builder b, ChecksumAlgorithm algorithm,
            String value) {
        return switch (algorithm) {
            case CRC32 -> b.checksumCRC32(value);
            case CRC32_C -> b.checksumCRC32C(value);
            case SHA1 -> b.checksumSHA1(value);
            case SHA256 -> b.checksumSHA256(value);
            default -> throw new IllegalArgumentException(algorithm.toString());
        };
    }

    /** Uploads {@link #part1} and {@link #part2}, with a checksum of {@code algorithm} when not null. */
    private List<CompletedPart> upload(String bucket, String key, String uploadId, ChecksumAlgorithm algorithm) {
        List<CompletedPart> parts = new ArrayList<>();
        int number = 1;
        for (byte[] data : List.of(part1, part2)) {
            int n = number++;
            UploadPartResponse r = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(n)
                    .checksumAlgorithm(algorithm), RequestBody.fromBytes(data));
            if (algorithm != null) {
                assertEquals(expected(algorithm, data), value(r.checksumCRC32(), r.checksumCRC32C(),
                        r.checksumSHA1(), r.checksumSHA256()));
            }
            parts.add(CompletedPart.builder().partNumber(n).eTag(r.eTag()).checksumCRC32(r.checksumCRC32())
                    .checksumCRC32C(r.checksumCRC32C()).build());
        }
        return parts;
    }

    private static String expected(ChecksumAlgorithm algorithm, byte[] data) {
        try {
            return switch (algorithm) {
                case CRC32 -> crc(new CRC32(), data);
                case CRC32_C -> crc(new CRC32C(), data);
                case SHA1 -> Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-1")
                        .digest(data));
                case SHA256 -> Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(data));
                default -> throw new IllegalArgumentException(algorithm.toString());
            };
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String crc(Checksum checksum, byte[] data) {
        checksum.update(data, 0, data.length);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array());
    }

    private static String value(String... values) {
        return Arrays.stream(values).filter(v -> v != null).findFirst().orElse(null);
    }

    private static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
