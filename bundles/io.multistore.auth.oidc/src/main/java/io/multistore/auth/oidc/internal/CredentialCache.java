package io.multistore.auth.oidc.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.BackendCredential;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Temporary credentials by (cloud, identity, subject), refreshed before they expire, one exchange at a time per key:
 * <ul>
 * <li>fresh (more than the refresh lead from expiry): served;</li>
 * <li>due for renewal but still valid: the first caller renews, every other caller is served the current credential
 * meanwhile — and if the renewal fails, the renewing caller is served it too (never blocked by a failed refresh, the
 * bug multistore 0.7.2 fixed);</li>
 * <li>none, or about to expire: callers wait for the one exchange in flight (concurrent first requests make one
 * exchange); a failure is shared for {@link #FAILURE_BACKOFF} so a down STS is not hammered by every waiter.</li>
 * </ul>
 */
final class CredentialCache {

    /** Never serve a credential with less left than this: a request signed with it could outlive it. */
    static final Duration MIN_SERVE = Duration.ofSeconds(5);
    /** How long a failed exchange answers for its key before the next caller tries again. */
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final Duration refreshLead;
    private final Duration waitLimit;
    private final Clock clock;

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        volatile BackendCredential current;
        volatile S3Exception failure;
        volatile Instant failedAt = Instant.MIN;
    }

    /**
     * @param refreshLead how long before expiry a credential is renewed
     * @param waitLimit   how long a caller without a usable credential waits for an exchange in flight
     */
    CredentialCache(Duration refreshLead, Duration waitLimit, Clock clock) {
        this.refreshLead = refreshLead;
        this.waitLimit = waitLimit;
        this.clock = clock;
    }

    /**
     * @param exchange mints and exchanges; throws {@link S3Exception} when it fails
     */
    BackendCredential get(String key, Supplier<BackendCredential> exchange) {
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        BackendCredential held = slot.current;
        if (fresh(held)) {
            return held;
        }
        if (usable(held)) {
            if (!slot.lock.tryLock()) {
                return held; // another caller renews it
            }
        } else {
            S3Exception recent = recentFailure(slot);
            if (recent != null) {
                throw recent;
            }
            try {
                if (!slot.lock.tryLock(waitLimit.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null,
                            "timed out waiting for the OIDC credential exchange in flight");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null,
                        "interrupted waiting for the OIDC credential exchange");
            }
        }
        try {
            held = slot.current;
            if (fresh(held)) {
                return held; // renewed while this caller waited
            }
            if (!usable(held)) {
                S3Exception recent = recentFailure(slot);
                if (recent != null) {
                    throw recent;
                }
            }
            try {
                BackendCredential renewed = exchange.get();
                slot.current = renewed;
                slot.failure = null;
                return renewed;
            } catch (S3Exception e) {
                slot.failure = e;
                slot.failedAt = clock.instant();
                if (usable(held)) {
                    return held;
                }
                throw e;
            }
        } finally {
            slot.lock.unlock();
        }
    }

    private S3Exception recentFailure(Slot slot) {
        S3Exception failure = slot.failure;
        return failure != null && clock.instant().isBefore(slot.failedAt.plus(FAILURE_BACKOFF)) ? failure : null;
    }

    private boolean fresh(BackendCredential c) {
        return c != null && c.expiresAt().isAfter(clock.instant().plus(refreshLead));
    }

    private boolean usable(BackendCredential c) {
        return c != null && c.expiresAt().isAfter(clock.instant().plus(MIN_SERVE));
    }
}
