package io.multistore.core.internal.auth;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.PartInfo;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The checksums S3 keeps with objects: which algorithms and types are valid, and how a multipart object's checksum
 * follows from its parts' — COMPOSITE (the checksum of the concatenated part checksums, {@code -N} appended) or
 * FULL_OBJECT (for the CRCs: the parts' CRCs combined into the CRC of all the bytes, without reading them again).
 */
public final class Checksums {

    private Checksums() {
    }

    /**
     * Validates the checksum algorithm and type of CreateMultipartUpload ({@code x-amz-checksum-algorithm},
     * {@code x-amz-checksum-type}) and applies S3's defaults: COMPOSITE, except for CRC64NVME which is FULL_OBJECT
     * only.
     *
     * @return the algorithm and type (value {@code null}), or {@code null} when neither header was sent
     * @throws S3Exception {@code InvalidRequest} for an unknown algorithm or a type the algorithm does not have
     */
    public static ObjectChecksum uploadChecksum(String algorithmHeader, String typeHeader) {
        if (algorithmHeader == null) {
            if (typeHeader != null) {
                throw new S3Exception(S3ErrorCode.InvalidRequest,
                        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
            }
            return null;
        }
        ChecksumAlgorithm algorithm = algorithm(algorithmHeader, "x-amz-checksum-algorithm");
        String type;
        if (typeHeader == null) {
            type = algorithm == ChecksumAlgorithm.CRC64NVME ? ObjectChecksum.FULL_OBJECT : ObjectChecksum.COMPOSITE;
        } else {
            type = typeHeader.trim().toUpperCase(Locale.ROOT);
            if (!type.equals(ObjectChecksum.FULL_OBJECT) && !type.equals(ObjectChecksum.COMPOSITE)) {
                throw new S3Exception(S3ErrorCode.InvalidRequest, "Value for x-amz-checksum-type header is invalid.");
            }
        }
        if (type.equals(ObjectChecksum.FULL_OBJECT) && !isCrc(algorithm)) {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "The FULL_OBJECT checksum type cannot be used with the "
                    + algorithm.name().toLowerCase(Locale.ROOT) + " checksum algorithm.");
        }
        if (type.equals(ObjectChecksum.COMPOSITE) && algorithm == ChecksumAlgorithm.CRC64NVME) {
            throw new S3Exception(S3ErrorCode.InvalidRequest,
                    "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
        }
        return new ObjectChecksum(algorithm.name(), null, type);
    }

    /**
     * The checksum of a multipart object from its parts' checksums, in part order.
     *
     * @param upload the upload's algorithm and type
     * @param parts  the completed parts with their sizes and checksums (each of {@code upload}'s algorithm)
     */
    public static ObjectChecksum ofParts(ObjectChecksum upload, List<PartInfo> parts) {
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.valueOf(upload.algorithm());
        if (upload.type().equals(ObjectChecksum.COMPOSITE)) {
            ChecksumAlgorithm.Running running = algorithm.start();
            for (PartInfo part : parts) {
                byte[] raw = decode(part.checksum().value());
                running.update(raw, 0, raw.length);
            }
            return upload.withValue(encode(running.finish()) + "-" + parts.size());
        }
        Crc crc = Crc.of(algorithm);
        long combined = 0;
        boolean first = true;
        for (PartInfo part : parts) {
            long value = crc.value(decode(part.checksum().value()));
            combined = first ? value : crc.combine(combined, value, part.size());
            first = false;
        }
        return upload.withValue(encode(crc.bytes(combined)));
    }

    /** The checksum of {@code bytes}, for tests and small bodies. */
    public static ObjectChecksum of(String algorithm, byte[] bytes) {
        ChecksumAlgorithm a = ChecksumAlgorithm.valueOf(algorithm.toUpperCase(Locale.ROOT));
        ChecksumAlgorithm.Running running = a.start();
        running.update(bytes, 0, bytes.length);
        return new ObjectChecksum(a.name(), encode(running.finish()), ObjectChecksum.FULL_OBJECT);
    }

    /** Whether two checksum values are equal (base64 compared as bytes, a {@code -N} suffix as text). */
    public static boolean sameValue(String a, String b) {
        return a != null && b != null && a.trim().equals(b.trim());
    }

    static ChecksumAlgorithm algorithm(String name, String header) {
        try {
            return ChecksumAlgorithm.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Value for " + header + " header is invalid.",
                    header, null);
        }
    }

    private static boolean isCrc(ChecksumAlgorithm algorithm) {
        return algorithm == ChecksumAlgorithm.CRC32 || algorithm == ChecksumAlgorithm.CRC32C
                || algorithm == ChecksumAlgorithm.CRC64NVME;
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64.trim());
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * A reflected CRC with all-ones initial value and final XOR (CRC32, CRC32C, CRC64NVME). {@link #combine} is the
     * classic GF(2) construction (as zlib's {@code crc32_combine}): it appends {@code length} zero bits to the first
     * CRC by repeated squaring of the one-zero-bit operator, then adds the second.
     */
    record Crc(int width, long polynomial) {

        static Crc of(ChecksumAlgorithm algorithm) {
            return switch (algorithm) {
                case CRC32 -> new Crc(32, 0xEDB88320L);
                case CRC32C -> new Crc(32, 0x82F63B78L);
                case CRC64NVME -> new Crc(64, 0x9A6C9329AC4BC9B5L);
                default -> throw new IllegalArgumentException(algorithm + " is not a CRC");
            };
        }

        long value(byte[] bytes) {
            long v = 0;
            for (byte b : bytes) {
                v = v << 8 | (b & 0xff);
            }
            return v;
        }

        byte[] bytes(long value) {
            byte[] out = new byte[width / 8];
            for (int i = out.length - 1; i >= 0; i--) {
                out[i] = (byte) value;
                value >>>= 8;
            }
            return out;
        }

        /** The CRC of {@code A || B} from {@code crc(A)}, {@code crc(B)} and the length of B in bytes. */
        long combine(long crcA, long crcB, long lengthB) {
            if (lengthB <= 0) {
                return crcA;
            }
            long[] even = new long[width];
            long[] odd = new long[width];
            odd[0] = polynomial; // the operator for one zero bit
            long row = 1;
            for (int n = 1; n < width; n++) {
                odd[n] = row;
                row <<= 1;
            }
            square(even, odd); // two zero bits
            square(odd, even); // four
            long crc = crcA;
            long length = lengthB;
            do {
                square(even, odd); // first pass: one zero byte
                if ((length & 1) != 0) {
                    crc = times(even, crc);
                }
                length >>>= 1;
                if (length == 0) {
                    break;
                }
                square(odd, even);
                if ((length & 1) != 0) {
                    crc = times(odd, crc);
                }
                length >>>= 1;
            } while (length != 0);
            return crc ^ crcB;
        }

        private static long times(long[] matrix, long vector) {
            long sum = 0;
            int i = 0;
            long v = vector;
            while (v != 0) {
                if ((v & 1) != 0) {
                    sum ^= matrix[i];
                }
                v >>>= 1;
                i++;
            }
            return sum;
        }

        private static void square(long[] result, long[] matrix) {
            for (int n = 0; n < matrix.length; n++) {
                result[n] = times(matrix, matrix[n]);
            }
        }
    }

    /**
     * The checksum of a request body as it streams: given up front by a header, verified from a trailer, or
     * computed for {@code x-amz-sdk-checksum-algorithm}. See {@link io.multistore.api.backend.ObjectBody#checksum()}.
     */
    static final class BodyChecksum implements Supplier<ObjectChecksum> {

        static final BodyChecksum NONE = new BodyChecksum(null, null);

        private final ChecksumAlgorithm algorithm;
        private final String upFront;
        private AwsChunkedInputStream trailers;
        private volatile String computed;

        BodyChecksum(ChecksumAlgorithm algorithm, String upFront) {
            this.algorithm = algorithm;
            this.upFront = upFront == null ? null : upFront.trim();
        }

        void trailersOf(AwsChunkedInputStream stream) {
            this.trailers = stream;
        }

        /** A check that computes the checksum and records it when the body is complete. */
        PayloadCheck computing() {
            return PayloadCheck.computing(algorithm, bytes -> computed = encode(bytes));
        }

        @Override
        public ObjectChecksum get() {
            if (algorithm == null) {
                return null;
            }
            String value = upFront;
            if (value == null && trailers != null) {
                value = trailers.verifiedTrailer(algorithm);
            }
            if (value == null) {
                value = computed;
            }
            return new ObjectChecksum(algorithm.name(), value, ObjectChecksum.FULL_OBJECT);
        }
    }
}
