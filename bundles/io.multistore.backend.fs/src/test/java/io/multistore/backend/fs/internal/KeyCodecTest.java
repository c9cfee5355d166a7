package io.multistore.backend.fs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyCodecTest {

    private static final String ALPHABET = "aZ09 ./-_%#*~+=\\:\u0000\u00e9\u65e5\ue000\uffff";

    @Test
    void orderIsUtf8ByteOrder() {
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            String a = randomString(random);
            String b = randomString(random);
            int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                    b.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, Integer.signum(KeyCodec.compare(a, b)), () -> "'" + a + "' vs '" + b + "'");
        }
    }

    @Test
    void namesRoundTripAndNeverCollide() {
        Random random = new Random(2);
        for (int i = 0; i < 20_000; i++) {
            String segment = randomString(random).replace("/", "");
            String object = KeyCodec.objectName(segment);
            String directory = KeyCodec.directoryName(segment);
            assertEquals(segment, KeyCodec.decode(object, KeyCodec.isDirectoryName(object)));
            assertEquals(segment, KeyCodec.decode(directory, KeyCodec.isDirectoryName(directory)));
            assertFalse(KeyCodec.isDirectoryName(object));
            assertTrue(KeyCodec.isDirectoryName(directory));
            assertFalse(object.startsWith(".") || directory.startsWith("."));
            assertFalse(object.contains("/") || object.contains("\\") || object.contains("\u0000"));
            assertTrue(object.chars().allMatch(c -> c >= 0x20 && c < 0x7f), object);
        }
    }

    @Test
    void specialNames() {
        assertEquals("%", KeyCodec.objectName(""));
        assertEquals("#", KeyCodec.directoryName(""));
        assertEquals("%2E.", KeyCodec.objectName(".."));
        assertEquals("%2E", KeyCodec.objectName("."));
        assertEquals("a.b", KeyCodec.objectName("a.b"));
        assertNull(KeyCodec.decode(".multistore", true));
        assertNull(KeyCodec.decode("a%2e", false), "lower-case escapes are not canonical");
        assertNull(KeyCodec.decode("%FF", false), "not UTF-8");
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(6);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(8) == 0) {
                s.appendCodePoint(0x10000 + random.nextInt(0x1000));
            } else {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return s.toString();
    }
}
