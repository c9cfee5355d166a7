package io.multistore.itests.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Anonymous GETs of known objects from a number of connections (one HTTP/1.1 client and thread each) until stopped:
 * counts successes and failures and checks every body byte for byte.
 */
public final class GetLoad implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong wrongBody = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    /**
     * @param base    {@code http://host:port/bucket/}
     * @param objects key to expected body
     */
    public GetLoad(URI base, Map<String, byte[]> objects, int connections) {
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(objects.entrySet());
        for (int i = 0; i < connections; i++) {
            int offset = i;
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            Thread t = new Thread(() -> run(client, base, entries, offset), "get-load-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void run(HttpClient client, URI base, List<Map.Entry<String, byte[]>> entries, int offset) {
        int n = offset;
        while (running.get()) {
            Map.Entry<String, byte[]> e = entries.get(n++ % entries.size());
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve(e.getKey()))
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    fail("HTTP " + r.statusCode() + " " + e.getKey() + ": "
                            + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
                } else if (!Arrays.equals(e.getValue(), r.body())) {
                    wrongBody.incrementAndGet();
                    fail("wrong body for " + e.getKey() + " (" + r.body().length + " bytes)");
                } else {
                    ok.incrementAndGet();
                }
            } catch (Exception ex) {
                if (running.get()) {
                    fail(ex.toString());
                }
            }
        }
    }

    private void fail(String what) {
        failed.incrementAndGet();
        if (failures.size() < 20) {
            failures.add(what);
        }
    }

    public long ok() {
        return ok.get();
    }

    public long failed() {
        return failed.get();
    }

    public long wrongBodies() {
        return wrongBody.get();
    }

    public List<String> firstFailures() {
        return List.copyOf(failures);
    }

    /** Stops the threads after their current request. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
