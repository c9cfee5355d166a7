package io.multistore.accesslog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class BatchWriterTest {

    @Test
    void everyLineFromManyThreadsIsWrittenByCloseAndOneThreadsOrderIsKept() throws Exception {
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        Set<String> threads = Collections.synchronizedSet(new HashSet<>());
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        BatchWriter<String> writer = new BatchWriter<>(batch -> {
            threads.add(Thread.currentThread().getName());
            batchSizes.add(batch.size());
            written.addAll(batch);
        }, 16, "test-writer");
        int producers = 8;
        int each = 5_000;
        List<Thread> running = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    writer.write(id + ":" + i);
                }
            });
            t.start();
            running.add(t);
        }
        for (Thread t : running) {
            t.join();
        }
        writer.close();
        assertEquals(producers * each, written.size(), "a line was lost");
        int[] next = new int[producers];
        for (String line : written) {
            int p = Integer.parseInt(line.substring(0, line.indexOf(':')));
            assertEquals(next[p]++, Integer.parseInt(line.substring(line.indexOf(':') + 1)), "out of order: " + line);
        }
        assertEquals(Set.of("test-writer"), threads, "lines are written by the writer's thread");
        assertTrue(batchSizes.stream().anyMatch(n -> n > 1), "the writer hands over whole batches: " + batchSizes);
    }

    @Test
    void underASteadyTrickleTheWriterSleepsBetweenBatches() {
        // a sink as slow as a write to a busy disk: lines keep arriving while it writes
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger lines = new AtomicInteger();
        BatchWriter<Integer> writer = new BatchWriter<>(batch -> {
            calls.incrementAndGet();
            lines.addAndGet(batch.size());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }, 8192, "trickle-writer");
        int sent = 0;
        for (long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500); System.nanoTime() < end;) {
            writer.write(sent++);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
        writer.close();
        assertEquals(sent, lines.get(), "a line was lost");
        // about one batch per 10 ms: 50 in half a second; coming straight back after each write makes about 500
        assertTrue(calls.get() <= 150, calls.get() + " batches for " + sent + " lines in 500 ms");
    }

    @Test
    void aFullQueueMakesTheCallerWaitInsteadOfDropping() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        BatchWriter<String> writer = new BatchWriter<>(batch -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.addAll(batch);
        }, 2, "slow-writer");
        CountDownLatch done = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                writer.write("line " + i);
            }
            done.countDown();
        });
        producer.start();
        // the sink holds at most two lines, the queue two more: the producer cannot be done with ten
        assertTrue(!done.await(300, TimeUnit.MILLISECONDS), "lines were dropped instead of waiting for room");
        release.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        writer.close();
        assertEquals(10, written.size());
    }

    @Test
    void linesAfterCloseAreWrittenOnTheCallersThread() {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        BatchWriter<String> writer = new BatchWriter<>(batch -> threads.add(Thread.currentThread().getName()), 4,
                "closed-writer");
        writer.close();
        writer.write("late");
        assertEquals(List.of(Thread.currentThread().getName()), threads);
        assertNotEquals("closed-writer", threads.get(0));
    }
}
