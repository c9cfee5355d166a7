package io.multistore.console.internal;

import io.multistore.api.observe.CompletedRequest;
import java.util.concurrent.atomic.LongAdder;

/** Live totals since the console bundle started, fed by completed requests. */
final class RequestCounters {

    final LongAdder requests = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder clientErrors = new LongAdder();
    final LongAdder serverErrors = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder totalNanos = new LongAdder();

    void record(CompletedRequest r) {
        requests.increment();
        int s = r.status();
        if (s >= 500 || s == 0) {
            serverErrors.increment();
        } else if (s >= 400) {
            clientErrors.increment();
        } else {
            ok.increment();
        }
        bytesIn.add(r.bytesIn());
        bytesOut.add(r.bytesOut());
        totalNanos.add(r.totalNanos());
    }

    /** Mean time per request in milliseconds, 0 before the first. */
    double meanMillis() {
        long n = requests.sum();
        return n == 0 ? 0 : totalNanos.sum() / 1e6 / n;
    }
}
