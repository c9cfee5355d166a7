package io.multistore.core.internal.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The flexible checksums of S3 ({@code x-amz-checksum-*}), as header or {@code aws-chunked} trailer. */
enum ChecksumAlgorithm {
    CRC32(4),
    CRC32C(4),
    SHA1(20),
    SHA256(32),
    CRC64NVME(8);

    private final int size;

    ChecksumAlgorithm(int size) {
        this.size = size;
    }

    /** The checksum's length in bytes. */
    int size() {
        return size;
    }

    /** A checksum being computed over a stream of bytes. */
    interface Running {
        void update(byte[] bytes, int offset, int length);

        /** The checksum's bytes, as S3 transmits them base64-encoded. */
        byte[] finish();
    }

    /** The header (or trailer) name: {@code x-amz-checksum-crc32}. */
    String headerName() {
        return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    static ChecksumAlgorithm forHeader(String lowerName) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.headerName().equals(lowerName)) {
                return algorithm;
            }
        }
        return null;
    }

    Running start() {
        return switch (this) {
            case CRC32 -> crc(new CRC32());
            case CRC32C -> crc(new CRC32C());
            case SHA1 -> digest(Crypto.digest("SHA-1"));
            case SHA256 -> digest(Crypto.sha256());
            case CRC64NVME -> {
                Crc64Nvme crc = new Crc64Nvme();
                yield new Running() {
                    @Override
                    public void update(byte[] bytes, int offset, int length) {
                        crc.update(bytes, offset, length);
                    }

                    @Override
                    public byte[] finish() {
                        return ByteBuffer.allocate(8).putLong(crc.value()).array();
                    }
                };
            }
        };
    }

    private static Running crc(Checksum checksum) {
        return new Running() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                checksum.update(bytes, offset, length);
            }

            @Override
            public byte[] finish() {
                return ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array();
            }
        };
    }

    private static Running digest(MessageDigest digest) {
        return new Running() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                digest.update(bytes, offset, length);
            }

            @Override
            public byte[] finish() {
                return digest.digest();
            }
        };
    }
}
