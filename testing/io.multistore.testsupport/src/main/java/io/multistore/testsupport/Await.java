package io.multistore.testsupport;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Polls for an asynchronous effect instead of sleeping a fixed time: returns as soon as the condition holds, fails
 * only when it still does not hold after the (generous) timeout.
 */
public final class Await {

    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /**
     * Waits until {@code condition} returns {@code true}.
     *
     * @throws AssertionError when it has not after {@code timeout}
     */
    public static void waitFor(Duration timeout, Supplier<Boolean> condition) {
        waitFor(timeout, condition, "condition");
    }

    /** As {@link #waitFor(Duration, Supplier)}, naming what was awaited in the failure. */
    public static void waitFor(Duration timeout, Supplier<Boolean> condition, String description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(description + " did not hold within " + timeout);
            }
            pause();
        }
    }

    /**
     * Waits until {@code assertion} stops throwing {@link AssertionError}; on timeout rethrows the last failure, so
     * the test report shows what was still wrong.
     */
    public static void untilAsserted(Duration timeout, Runnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
