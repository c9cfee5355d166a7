package io.multistore.core.internal.auth;

/**
 * CRC-64/NVME (the {@code x-amz-checksum-crc64nvme} of S3): reflected polynomial {@code 0x9a6c9329ac4bc9b5}, initial
 * value and final XOR all ones. The JDK has CRC32 and CRC32C but not this one. Slicing-by-8 keeps it within a few
 * times of the JDK's intrinsics.
 */
final class Crc64Nvme {

    private static final long POLY = 0x9a6c9329ac4bc9b5L;
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLES[0][i] = crc;
        }
        for (int i = 0; i < 256; i++) {
            long crc = TABLES[0][i];
            for (int t = 1; t < 8; t++) {
                crc = TABLES[0][(int) (crc & 0xff)] ^ (crc >>> 8);
                TABLES[t][i] = crc;
            }
        }
    }

    private long crc = ~0L;

    void update(byte[] bytes, int offset, int length) {
        long c = crc;
        int i = offset;
        int end = offset + length;
        long[][] t = TABLES;
        while (end - i >= 8) {
            c ^= (bytes[i] & 0xffL) | (bytes[i + 1] & 0xffL) << 8 | (bytes[i + 2] & 0xffL) << 16
                    | (bytes[i + 3] & 0xffL) << 24 | (bytes[i + 4] & 0xffL) << 32 | (bytes[i + 5] & 0xffL) << 40
                    | (bytes[i + 6] & 0xffL) << 48 | (bytes[i + 7] & 0xffL) << 56;
            c = t[7][(int) (c & 0xff)] ^ t[6][(int) ((c >>> 8) & 0xff)] ^ t[5][(int) ((c >>> 16) & 0xff)]
                    ^ t[4][(int) ((c >>> 24) & 0xff)] ^ t[3][(int) ((c >>> 32) & 0xff)]
                    ^ t[2][(int) ((c >>> 40) & 0xff)] ^ t[1][(int) ((c >>> 48) & 0xff)] ^ t[0][(int) (c >>> 56)];
            i += 8;
        }
        for (; i < end; i++) {
            c = t[0][(int) ((c ^ bytes[i]) & 0xff)] ^ (c >>> 8);
        }
        crc = c;
    }

    long value() {
        return ~crc;
    }
}
