package io.multistore.lib.dataplane;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how long the data plane waits before sending a request again. It follows the AWS SDK's standard retry
 * mode, so that both planes of a backend behave alike: at most {@code maxAttempts} attempts; retried are connection
 * failures before an answer and the answers 500, 502, 503, 504 and 429; the wait before attempt {@code n + 1} is
 * random in {@code [0, min(maxDelay, base * 2^(n-1))]} ("full jitter"), with a longer base for throttling answers
 * (503, 429 — S3's {@code SlowDown}).
 *
 * @param maxAttempts        attempts in all, at least 1
 * @param baseDelay          base of the backoff after a failure
 * @param throttledBaseDelay base of the backoff after a throttling answer
 * @param maxDelay           cap of one wait
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration throttledBaseDelay, Duration maxDelay) {

    /** The AWS SDK's standard mode: 3 attempts, 100 ms base, 1 s after throttling, 20 s cap. */
    public static final RetryPolicy STANDARD = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(20));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Whether an answer with this status is worth another attempt. */
    public boolean retryable(int status) {
        return status == 500 || status == 502 || status == 503 || status == 504 || status == 429;
    }

    /** Whether an answer with this status asks the client to slow down. */
    public boolean throttling(int status) {
        return status == 503 || status == 429;
    }

    /** The wait before the attempt after {@code failedAttempt} (1-based), in milliseconds. */
    public long delayMillis(int failedAttempt, boolean throttled) {
        long base = (throttled ? throttledBaseDelay : baseDelay).toMillis();
        long ceiling = Math.min(maxDelay.toMillis(), base << Math.min(failedAttempt - 1, 20));
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
