package io.multistore.accesslog.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands access-log lines to their sink on one thread of its own. A logger that writes a line synchronously (the
 * SLF4J simple provider formats a date under a lock, then writes and flushes under another) makes every request
 * thread queue for those locks; here a request only formats its line and puts it in a bounded queue. The writer is
 * never woken per line: it drains the queue, and when it finds it empty sleeps a little (1 ms, doubling up to 50 ms
 * while idle), so a line is written within milliseconds and a request never pays for waking a thread.
 * <p>
 * Nothing is lost: when the queue is full the request waits for room (the pace of the sink, as if it wrote itself),
 * and once {@link #close} has begun, lines are written on the caller's thread; close writes every queued line before
 * it returns.
 */
final class LineWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LineWriter.class);
    /** Tells the writer thread to finish; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end");
    private static final int BATCH = 256;
    private static final long MIN_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Consumer<String> sink;
    private final BlockingQueue<String> queue;
    private final Thread thread;
    private volatile boolean closed;

    LineWriter(Consumer<String> sink, int capacity, String threadName) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    void write(String line) {
        if (closed) {
            emit(line);
            return;
        }
        try {
            queue.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emit(line);
            return;
        }
        if (closed) {
            // close began while this line went in: make sure it is written even if the writer has already left
            drain();
        }
    }

    private void run() {
        List<String> batch = new ArrayList<>(BATCH);
        long idle = MIN_IDLE_NANOS;
        while (true) {
            if (queue.drainTo(batch, BATCH) == 0) {
                // producers never signal: sleep a little instead (close unparks)
                LockSupport.parkNanos(this, idle);
                idle = Math.min(idle * 2, MAX_IDLE_NANOS);
                continue;
            }
            idle = MIN_IDLE_NANOS;
            for (String line : batch) {
                if (line == END) {
                    drain();
                    return;
                }
                emit(line);
            }
            batch.clear();
        }
    }

    private void drain() {
        for (String line; (line = queue.poll()) != null;) {
            if (line != END) {
                emit(line);
            }
        }
    }

    private void emit(String line) {
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            LOG.debug("An access log line could not be written", e);
        }
    }

    /** Stops the thread after it has written every queued line; later lines are written by their callers. */
    @Override
    public void close() {
        closed = true;
        try {
            queue.put(END);
            LockSupport.unpark(thread);
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }
}
