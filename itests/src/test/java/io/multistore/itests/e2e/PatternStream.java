package io.multistore.itests.e2e;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A reproducible pseudo-random byte stream of a given length that hashes what it hands out: large test objects
 * without large test memory.
 */
public final class PatternStream extends InputStream {
    private final long length;
    private final MessageDigest digest;
    private long position;
    private long state;

    public PatternStream(long length, long seed) {
        this.length = length;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            // xorshift64: fast, and every byte depends on the seed
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            b[off + i] = (byte) state;
        }
        digest.update(b, off, n);
        position += n;
        return n;
    }

    /** The SHA-256 of everything read so far (call once, after the end). */
    public byte[] sha256() {
        return digest.digest();
    }
}
