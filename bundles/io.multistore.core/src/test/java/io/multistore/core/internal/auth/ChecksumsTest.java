package io.multistore.core.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.PartInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

class ChecksumsTest {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    /**
     * The AWS SDK's own implementation, as an independent oracle (its CRC64NVME needs the native CRT library; that
     * one is checked against the CRC catalogue in {@link Crc64NvmeTest}).
     */
    private static String sdk(software.amazon.awssdk.checksums.spi.ChecksumAlgorithm algorithm, byte[] data) {
        SdkChecksum checksum = SdkChecksum.forAlgorithm(algorithm);
        checksum.update(data, 0, data.length);
        return Base64.getEncoder().encodeToString(checksum.getChecksumBytes());
    }

    @Test
    void singleChecksumsAgreeWithTheSdk() {
        byte[] data = new byte[70_001];
        new Random(7).nextBytes(data);
        for (byte[] bytes : List.of(HELLO, data, new byte[0])) {
            assertEquals(sdk(DefaultChecksumAlgorithm.CRC32, bytes), Checksums.of("CRC32", bytes).value());
            assertEquals(sdk(DefaultChecksumAlgorithm.CRC32C, bytes), Checksums.of("CRC32C", bytes).value());
            assertEquals(sdk(DefaultChecksumAlgorithm.SHA1, bytes), Checksums.of("SHA1", bytes).value());
            assertEquals(sdk(DefaultChecksumAlgorithm.SHA256, bytes), Checksums.of("SHA256", bytes).value());
        }
        // fixed values, computed apart from both (zlib.crc32 = 0xec4ac3d0; a bitwise CRC-32C = 0x4d551068)
        assertEquals("7ErD0A==", Checksums.of("CRC32", HELLO).value());
        assertEquals("TVUQaA==", Checksums.of("CRC32C", HELLO).value());
    }

    @Test
    void fullObjectCrcsCombineToTheCrcOfAllBytes() {
        Random random = new Random(11);
        for (String algorithm : List.of("CRC32", "CRC32C", "CRC64NVME")) {
            for (int[] sizes : new int[][] {{1, 1}, {5, 0, 3}, {65_536, 1_000, 7}, {100_003, 99_999, 12_345, 1}}) {
                List<PartInfo> parts = new ArrayList<>();
                int total = Arrays.stream(sizes).sum();
                byte[] all = new byte[total];
                random.nextBytes(all);
                int at = 0;
                for (int i = 0; i < sizes.length; i++) {
                    byte[] part = Arrays.copyOfRange(all, at, at + sizes[i]);
                    at += sizes[i];
                    parts.add(new PartInfo(i + 1, "\"e\"", part.length, null, Checksums.of(algorithm, part)));
                }
                ObjectChecksum combined = Checksums.ofParts(
                        new ObjectChecksum(algorithm, null, ObjectChecksum.FULL_OBJECT), parts);
                assertEquals(Checksums.of(algorithm, all).value(), combined.value(), algorithm + " " +
                        Arrays.toString(sizes));
                assertEquals(ObjectChecksum.FULL_OBJECT, combined.type());
            }
        }
    }

    @Test
    void compositeIsTheChecksumOfThePartChecksumsWithTheirCount() {
        byte[] a = "first part".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "second part".getBytes(StandardCharsets.US_ASCII);
        for (var algorithm : List.of(DefaultChecksumAlgorithm.CRC32, DefaultChecksumAlgorithm.CRC32C,
                DefaultChecksumAlgorithm.SHA1, DefaultChecksumAlgorithm.SHA256)) {
            String name = algorithm.algorithmId().toUpperCase(java.util.Locale.ROOT);
            List<PartInfo> parts = List.of(
                    new PartInfo(1, "\"a\"", a.length, null, Checksums.of(name, a)),
                    new PartInfo(2, "\"b\"", b.length, null, Checksums.of(name, b)));
            byte[] raw = concat(Base64.getDecoder().decode(sdk(algorithm, a)),
                    Base64.getDecoder().decode(sdk(algorithm, b)));
            ObjectChecksum composite = Checksums.ofParts(new ObjectChecksum(name, null, ObjectChecksum.COMPOSITE),
                    parts);
            assertEquals(sdk(algorithm, raw) + "-2", composite.value(), name);
            assertEquals(ObjectChecksum.COMPOSITE, composite.type());
        }
    }

    @Test
    void uploadAlgorithmsAndTypesAsS3AcceptsThem() {
        assertNull(Checksums.uploadChecksum(null, null));
        assertEquals(new ObjectChecksum("CRC32C", null, "COMPOSITE"), Checksums.uploadChecksum("crc32c", null));
        assertEquals(new ObjectChecksum("CRC64NVME", null, "FULL_OBJECT"),
                Checksums.uploadChecksum("CRC64NVME", null));
        assertEquals(new ObjectChecksum("CRC32", null, "FULL_OBJECT"),
                Checksums.uploadChecksum("CRC32", "full_object"));
        for (String[] bad : new String[][] {{"MD5", null}, {"SHA256", "FULL_OBJECT"}, {"CRC64NVME", "COMPOSITE"},
                {null, "COMPOSITE"}, {"CRC32", "PARTIAL"}}) {
            S3Exception e = assertThrows(S3Exception.class, () -> Checksums.uploadChecksum(bad[0], bad[1]));
            assertEquals(S3ErrorCode.InvalidRequest, e.code(), Arrays.toString(bad));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
