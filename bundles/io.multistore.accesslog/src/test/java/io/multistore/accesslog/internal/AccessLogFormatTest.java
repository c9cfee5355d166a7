package io.multistore.accesslog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.multistore.api.observe.CompletedRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

    static CompletedRequest request(String key, String userAgent) {
        return new CompletedRequest("ABC123", Instant.parse("2026-11-30T12:00:01.250Z"), "GET", "GetObject", "data",
                key, "alice", "127.0.0.1", userAgent, 200, null, 0, 4096, 2_000_000, 5_500_000, 1_000_000);
    }

    @Test
    void jsonLineHasEveryFieldEscaped() {
        String line = AccessLogFormat.JSON.line(request("a \"quoted\"\nkey", "aws-cli/2"));
        assertEquals("{\"ts\":\"2026-11-30T12:00:01.250Z\",\"request_id\":\"ABC123\",\"remote\":\"127.0.0.1\","
                + "\"principal\":\"alice\",\"method\":\"GET\",\"operation\":\"GetObject\",\"bucket\":\"data\","
                + "\"key\":\"a \\\"quoted\\\"\\nkey\",\"status\":200,\"error\":null,\"bytes_in\":0,"
                + "\"bytes_out\":4096,\"ttfb_ms\":2,\"total_ms\":5,\"backend_ms\":1,\"user_agent\":\"aws-cli/2\"}",
                line);
    }

    @Test
    void jsonEscapesControlCharacters() {
        String line = AccessLogFormat.JSON.line(request("k\u0001", null));
        assertEquals(true, line.contains("\"key\":\"k\\u0001\""), line);
        assertEquals(true, line.endsWith("\"user_agent\":null}"), line);
    }

    @Test
    void textBeyondAsciiIsUtf8AndEscapesStillApply() {
        String key = "caf\u00e9/\u65e5\u672c \"\ud83d\ude00\"\tend";
        String json = AccessLogFormat.JSON.line(request(key, "agent \u00fc"));
        assertEquals(true, json.contains("\"key\":\"caf\u00e9/\u65e5\u672c \\\"\ud83d\ude00\\\"\\tend\""), json);
        assertEquals(true, json.endsWith("\"user_agent\":\"agent \u00fc\"}"), json);
        String s3 = AccessLogFormat.S3.line(request(key, null));
        assertEquals(true, s3.contains(" caf\u00e9/\u65e5\u672c%20%22\ud83d\ude00%22%09end "), s3);
    }

    @Test
    void aLongLineDoesNotSpillIntoTheNext() {
        String longKey = "k".repeat(40_000);
        assertEquals(true, AccessLogFormat.JSON.line(request(longKey, null)).contains("\"key\":\"" + longKey + "\""));
        String line = AccessLogFormat.JSON.line(request("short", "a".repeat(5_000)));
        assertEquals(true, line.contains("\"key\":\"short\",") && line.endsWith("a\"}"), line.substring(0, 300));
        assertEquals(AccessLogFormat.JSON.line(request("k", null)).length() + 4,
                AccessLogFormat.JSON.line(request("kkkkk", null)).length());
    }

    @Test
    void s3LineFollowsTheServerAccessLogLayout() {
        String line = AccessLogFormat.S3.line(request("dir/a b.txt", "aws-cli/2 \"x\""));
        assertEquals("- data [30/Nov/2026:12:00:01 +0000] 127.0.0.1 alice ABC123 REST.GET.GetObject dir/a%20b.txt "
                + "\"-\" 200 - 4096 - 5 2 \"-\" \"aws-cli/2 \\\"x\\\"\"", line);
    }

    @Test
    void timestampsAreExactAcrossSecondsAndPadded() {
        // the second's text is cached: each line must still carry its own second and milliseconds
        for (String t : new String[] {"2026-11-30T12:00:01.250Z", "2026-11-30T12:00:01.999Z",
                "2026-11-30T12:00:02.000Z", "2026-11-30T12:00:02.007Z", "2026-11-30T12:00:01.050Z",
                "1999-12-31T23:59:59.001Z"}) {
            LineBuffer b = new LineBuffer(8);
            AccessLogFormat.appendIsoMillis(b, Instant.parse(t));
            assertEquals(t, b.toString());
        }
        CompletedRequest next = new CompletedRequest("X", Instant.parse("2026-11-30T12:00:02.000Z"), "GET",
                "GetObject", "data", "k", "alice", "127.0.0.1", null, 200, null, 0, 0, 0, 0, 0);
        assertEquals(true, AccessLogFormat.S3.line(request("k", null)).contains("[30/Nov/2026:12:00:01 +0000]"));
        assertEquals(true, AccessLogFormat.S3.line(next).contains("[30/Nov/2026:12:00:02 +0000]"));
    }

    @Test
    void unknownFormatIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.of("xml"));
        assertEquals(AccessLogFormat.S3, AccessLogFormat.of(" S3 "));
    }
}
