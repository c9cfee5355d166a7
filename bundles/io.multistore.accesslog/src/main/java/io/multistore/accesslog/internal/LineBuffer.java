package io.multistore.accesslog.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer of UTF-8 bytes: a request's thread formats its access-log line into one (over an array that
 * thread reuses), and the writer gathers a batch of lines into another before one write. Text is almost always ASCII
 * and is copied byte by byte; the rare text beyond ASCII is encoded by the JDK.
 */
final class LineBuffer {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;

    LineBuffer(int capacity) {
        this(new byte[capacity]);
    }

    /** Formats into {@code bytes} (from the start) until it needs more room. */
    LineBuffer(byte[] bytes) {
        this.bytes = bytes;
    }

    int capacity() {
        return bytes.length;
    }

    /** The array formatted into: the one given, or a larger one. */
    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, length);
    }

    /** Bytes already encoded: constants and cached timestamps. */
    LineBuffer raw(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    /** An ASCII character. */
    LineBuffer ascii(char c) {
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** A decimal number. */
    LineBuffer number(long n) {
        if (n < 0) {
            if (n == Long.MIN_VALUE) {
                return text(Long.toString(n));
            }
            ascii('-');
            n = -n;
        }
        int digits = 1;
        for (long rest = n / 10; rest != 0; rest /= 10) {
            digits++;
        }
        room(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        length += digits;
        return this;
    }

    LineBuffer text(String s) {
        return text(s, 0, s.length());
    }

    /** Characters {@code from} to {@code to} of {@code s}, in UTF-8. */
    LineBuffer text(String s, int from, int to) {
        room(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return raw(s.substring(i, to).getBytes(StandardCharsets.UTF_8));
            }
            bytes[length++] = (byte) c;
        }
        return this;
    }

    /** {@code c} as {@code %XX}. */
    LineBuffer percent(char c) {
        room(3);
        bytes[length++] = '%';
        bytes[length++] = HEX[(c >> 4) & 0xF];
        bytes[length++] = HEX[c & 0xF];
        return this;
    }

    /** {@code c} as a JSON escape: a backslash, {@code u} and four hexadecimal digits. */
    LineBuffer unicodeEscape(char c) {
        room(6);
        bytes[length++] = '\\';
        bytes[length++] = 'u';
        for (int shift = 12; shift >= 0; shift -= 4) {
            bytes[length++] = (byte) Character.toLowerCase(HEX[(c >> shift) & 0xF]);
        }
        return this;
    }

    private void room(int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
        }
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
