package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Percent-coding and object key rules. */
final class Keys {

    /** S3's limit on a key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Keys() {
    }

    /**
     * Decodes {@code %XX} escapes and then UTF-8. {@code +} stays a literal plus: S3 paths are not form-encoded, and
     * for queries the AWS SDKs and CLIs encode a space as {@code %20}, so reading {@code +} as a space would corrupt
     * keys and prefixes that contain a plus.
     *
     * @throws S3Exception {@code InvalidArgument} for a broken escape or bytes that are not UTF-8
     */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw invalidUri();
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw invalidUri();
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw invalidUri();
        }
    }

    /** A broken percent-escape or invalid UTF-8 in the path or query: S3's InvalidURI, as for what Jetty refuses. */
    private static S3Exception invalidUri() {
        return new S3Exception(S3ErrorCode.InvalidURI);
    }

    /**
     * S3's {@code encoding-type=url}: everything but unreserved characters and {@code /} is percent-encoded (a space
     * as {@code %20} and a plus as {@code %2B}, so both form and plain URL decoders restore the key).
     */
    static String urlEncode(String value) {
        if (value == null) {
            return null;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length + 16);
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return b.toString();
    }

    /**
     * Checks an object key. Beyond S3's length limit this refuses NUL and {@code .}/{@code ..} path segments: some
     * backends (a local directory, HTTP clients that normalise paths) would resolve them and so step outside the
     * bucket's {@code backend_prefix} and the scopes authorization checked.
     */
    static String validateKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KeyTooLongError);
        }
        if (key.indexOf('\0') >= 0) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Object keys may not contain NUL characters.");
        }
        int start = 0;
        while (start <= key.length()) {
            int slash = key.indexOf('/', start);
            int end = slash < 0 ? key.length() : slash;
            int len = end - start;
            if ((len == 1 || len == 2) && key.startsWith("..".substring(0, len), start)) {
                throw new S3Exception(S3ErrorCode.InvalidArgument,
                        "Object keys may not contain '.' or '..' path segments.");
            }
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return key;
    }
}
