package io.multistore.accesslog.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands items to their sink in batches, on one thread of its own: a request only puts its record in a bounded queue,
 * and the sink formats and writes a whole batch at once (one write for many lines). The queue takes no lock: with a
 * lock, a writer thread preempted while holding it (one core, or a busy machine) makes every request that finishes
 * meanwhile park and be woken again. The writer is never woken per item either: it drains the queue, then sleeps
 * 10 ms before it looks again (doubling up to 80 ms while idle; only a full batch sends it straight back), so an item
 * is written within a few tens of milliseconds, a request never pays for waking a thread, and under load the writer
 * wakes about a hundred times a second for batches of hundreds of lines, rather than coming back at once for the few
 * that arrived while it wrote (each round is a write, and a context switch that also costs the request threads their
 * caches).
 * <p>
 * Nothing is lost: when the queue is full the caller waits for room (the pace of the sink, as if it wrote itself),
 * and once {@link #close} has begun, items are written on the caller's thread; close writes every queued item before
 * it returns. The sink is called by one thread at a time, except after close, when callers may call it concurrently.
 *
 * @param <T> the items
 */
final class BatchWriter<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    /** Tells the writer thread to finish; compared by identity. */
    private static final Object END = new Object();
    private static final int BATCH = 1024;
    private static final long MIN_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(80);
    /** How long a caller waits before it looks for room again in a full queue. */
    private static final long FULL_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final Consumer<List<T>> sink;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    /** Items in the queue (END not counted); never more than capacity. */
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private final Thread thread;
    private volatile boolean closed;

    BatchWriter(Consumer<List<T>> sink, int capacity, String threadName) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.sink = sink;
        this.capacity = capacity;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    void write(T item) {
        if (closed) {
            emit(List.of(item));
            return;
        }
        while (size.incrementAndGet() > capacity) {
            // full: the sink is behind, so wait for it as if this caller wrote the line itself
            size.decrementAndGet();
            LockSupport.parkNanos(this, FULL_WAIT_NANOS);
            if (closed || Thread.currentThread().isInterrupted()) {
                emit(List.of(item));
                return;
            }
        }
        queue.offer(item);
        if (closed) {
            // close began while this item went in: make sure it is written even if the writer has already left
            drain();
        }
    }

    private void run() {
        List<Object> taken = new ArrayList<>(BATCH);
        long idle = MIN_IDLE_NANOS;
        while (true) {
            boolean end = false;
            for (Object item; taken.size() < BATCH && (item = queue.poll()) != null;) {
                if (item == END) {
                    end = true;
                    break;
                }
                taken.add(item);
            }
            int n = taken.size();
            if (n > 0) {
                size.addAndGet(-n);
                emit(items(taken));
                taken.clear();
            }
            if (end) {
                drain();
                return;
            }
            if (n == BATCH) {
                continue; // a backlog: write on
            }
            // the queue is drained: sleep before looking again, rather than come straight back for the few items
            // that arrived meanwhile (a write and a context switch for a handful of lines); longer while idle
            idle = n == 0 ? Math.min(idle * 2, MAX_IDLE_NANOS) : MIN_IDLE_NANOS;
            LockSupport.parkNanos(this, idle);
        }
    }

    private void drain() {
        List<Object> rest = new ArrayList<>();
        for (Object item; (item = queue.poll()) != null;) {
            if (item != END) {
                rest.add(item);
            }
        }
        size.addAndGet(-rest.size());
        emit(items(rest));
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> items(List<Object> taken) {
        return (List<T>) (List<?>) taken;
    }

    private void emit(List<T> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            sink.accept(batch);
        } catch (RuntimeException e) {
            LOG.debug("An access log batch could not be written", e);
        }
    }

    /** Stops the thread after it has written every queued item; later items are written by their callers. */
    @Override
    public void close() {
        closed = true;
        try {
            queue.offer(END);
            LockSupport.unpark(thread);
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }
}
