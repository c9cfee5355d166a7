package io.multistore.accesslog.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineBufferTest {

    @Test
    void numbersAreDecimal() {
        LineBuffer b = new LineBuffer(4);
        for (long n : new long[] {0, 7, 10, 99, 100, 4096, -1, -250, Long.MAX_VALUE, Long.MIN_VALUE}) {
            b.clear();
            assertEquals(Long.toString(n), b.number(n).toString());
        }
    }

    @Test
    void growsAndWritesWhatItHolds() throws IOException {
        LineBuffer b = new LineBuffer(2);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            b.text("line ").number(i).ascii(' ').text("\u00e9\u20ac\ud83d\ude00").ascii('\n');
            expected.append("line ").append(i).append(" \u00e9\u20ac\ud83d\ude00\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.writeTo(out);
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), out.toByteArray());
        assertEquals(out.size(), b.length());
        b.clear();
        assertEquals("", b.toString());
    }

    @Test
    void escapes() {
        assertEquals("%20%7F%22", new LineBuffer(1).percent(' ').percent('\u007f').percent('"').toString());
        assertEquals("\\u0001\\u001f", new LineBuffer(1).unicodeEscape('\u0001').unicodeEscape('\u001f').toString());
    }

    @Test
    void aRangeOfText() {
        assertEquals("b\u00e9c", new LineBuffer(1).text("ab\u00e9cd", 1, 4).toString());
    }
}
