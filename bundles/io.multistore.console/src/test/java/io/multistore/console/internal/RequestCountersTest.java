package io.multistore.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multistore.api.observe.CompletedRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestCountersTest {

    static CompletedRequest status(int status, long in, long out) {
        return new CompletedRequest("R", Instant.now(), "PUT", "PutObject", "b", "k", "p", "a", null, status, null,
                in, out, 1_000_000, 2_000_000, 0);
    }

    @Test
    void countsByStatusClassAndBytes() {
        RequestCounters c = new RequestCounters();
        c.record(status(200, 10, 0));
        c.record(status(404, 0, 100));
        c.record(status(503, 0, 0));
        c.record(status(0, 5, 0));
        assertEquals(4, c.requests.sum());
        assertEquals(1, c.ok.sum());
        assertEquals(1, c.clientErrors.sum());
        assertEquals(2, c.serverErrors.sum());
        assertEquals(15, c.bytesIn.sum());
        assertEquals(100, c.bytesOut.sum());
        assertEquals(2.0, c.meanMillis(), 1e-9);
    }

    @Test
    void escapesMarkup() {
        assertEquals("&lt;script&gt;&amp;&quot;&#39;", MultistorePage.html("<script>&\"'"));
    }
}
