package io.multistore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.multistore.api.backend.ByteRange;
import io.multistore.api.backend.Preconditions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

    private static final Instant T = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void parsesAllThreeFormats() {
        assertEquals(T, HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(T, HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT"));
        assertEquals(T, HttpDates.parse("Sun Nov  6 08:49:37 1994"));
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), HttpDates.parse("Wednesday, 01-May-24 10:00:00 GMT"));
    }

    @Test
    void formattingRepeatsAreExactAcrossSeconds() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(T));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(T.plusMillis(999)));
        assertEquals("Sun, 06 Nov 1994 08:49:38 GMT", HttpDates.format(T.plusSeconds(1)));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(T));
    }

    @Test
    void invalidDatesAreIgnored() {
        assertNull(HttpDates.parse(null));
        assertNull(HttpDates.parse(""));
        assertNull(HttpDates.parse("yesterday"));
        assertNull(HttpDates.parse("Sun, 32 Nov 1994 08:49:37 GMT"));
    }

    @Test
    void formats() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(T));
        assertEquals("1994-11-06T08:49:37.000Z", HttpDates.iso(T));
    }

    @Test
    void preconditionsFromHeaders() {
        MemoryExchange ex = new MemoryExchange("GET", "/b/k", null).header("If-Match", "\"a\", \"b\"")
                .header("If-None-Match", "*").header("If-Modified-Since", "garbage")
                .header("If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT");
        Preconditions p = S3Operations.readPreconditions(ex, "If-Match", "If-None-Match", "If-Modified-Since",
                "If-Unmodified-Since");
        assertEquals(List.of("\"a\"", "\"b\""), p.ifMatch());
        assertEquals(List.of("*"), p.ifNoneMatch());
        assertNull(p.ifModifiedSince());
        assertEquals(T, p.ifUnmodifiedSince());
        assertSame(Preconditions.NONE, S3Operations.readPreconditions(new MemoryExchange("GET", "/", null),
                "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"));
        Preconditions write = S3Operations.readPreconditions(ex, "If-Match", "If-None-Match", null, null);
        assertNull(write.ifUnmodifiedSince());
    }

    @Test
    void ranges() {
        assertEquals("bytes 0-9/10", ByteRange.parse("bytes=0-").resolve(10).header());
        assertNull(ByteRange.parse("bytes=0-1,3-4"));
    }
}
