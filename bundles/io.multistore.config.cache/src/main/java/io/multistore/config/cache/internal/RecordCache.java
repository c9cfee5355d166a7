package io.multistore.config.cache.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups by key in front of a slow, fallible source.
 * <ul>
 * <li>A value is fresh for the TTL; an absent answer (an empty {@link Optional}) for the shorter negative TTL, so
 * unknown names cannot hammer the store.</li>
 * <li>Concurrent misses for one key make one upstream call; the others wait for its answer (single flight).</li>
 * <li>When the upstream call fails, the last value is served for a bounded time after it expired (stale-if-error);
 * without one, the lookup fails with 503 ServiceUnavailable, never "absent". A key whose call failed is not asked
 * again before the retry interval, so a store that is down is not hammered either.</li>
 * <li>{@link #expire} (a change notification, a new upstream) makes entries stale without dropping them, so they
 * still serve if the store fails right after.</li>
 * </ul>
 * Thread-safe. Hits take no lock.
 */
final class RecordCache {

    private static final Logger LOG = LoggerFactory.getLogger(RecordCache.class);
    /** How long a caller waits for another caller's upstream call before giving up with 503. */
    private static final long FOLLOWER_WAIT_MS = 30_000;

    /** Durations in nanoseconds. */
    record Settings(long ttl, long negativeTtl, long staleIfError, long retryInterval) {
    }

    /**
     * What is known about a key.
     *
     * @param value      the last value loaded, or {@code null} if none ever was
     * @param loadedAt   when {@code value} was loaded
     * @param freshUntil until when it is served without asking the upstream (for a failed key: when to retry)
     * @param failing    the last upstream call for this key failed
     */
    private record Entry(Object value, long loadedAt, long freshUntil, boolean failing) {
        Entry expired(long now) {
            return new Entry(value, loadedAt, now - 1, failing);
        }
    }

    private final ConcurrentHashMap<Object, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, CompletableFuture<Entry>> inFlight = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private final LongSupplier clock;
    private volatile Settings settings;

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder upstreamCalls = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder staleServed = new LongAdder();

    /** For operators' views: when the upstream last answered, and its last failure. */
    volatile Instant answeredAt;
    volatile Instant failedAt;
    volatile String failure;

    /** Whether the upstream failed last time: failures are logged when they start and when they end. */
    private volatile boolean upstreamFailing;

    RecordCache(Settings settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.clock = nanoClock;
    }

    void settings(Settings settings) {
        this.settings = settings;
    }

    int size() {
        return entries.size();
    }

    /**
     * The value for {@code key}: cached, or loaded by {@code load} (which throws when the source fails).
     *
     * @param key names itself in log lines by its {@code toString()} ({@code bucket "b"}), called only when logging
     * @throws S3Exception ServiceUnavailable when the source fails and nothing usable is cached
     */
    @SuppressWarnings("unchecked")
    <T> T get(Object key, Supplier<T> load) {
        long now = clock.getAsLong();
        Entry entry = entries.get(key);
        if (entry != null && now - entry.freshUntil() < 0) {
            if (!entry.failing()) {
                hits.increment();
                return (T) entry.value();
            }
            return (T) staleOrFail(entry, key, now, null);
        }
        misses.increment();
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return (T) follow(running, key);
        }
        Entry loaded;
        try {
            loaded = load(key, load, entry);
        } catch (RuntimeException | Error e) {
            inFlight.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        synchronized (writeLock) {
            // invalidated while loading: keep the value only as a fallback
            boolean current = inFlight.remove(key, mine);
            entries.put(key, current ? loaded : loaded.expired(clock.getAsLong()));
        }
        mine.complete(loaded);
        return (T) answer(loaded, key, now);
    }

    private Entry load(Object what, Supplier<?> load, Entry previous) {
        upstreamCalls.increment();
        Settings s = settings;
        try {
            Object value = load.get();
            long now = clock.getAsLong();
            boolean absent = value instanceof Optional<?> o && o.isEmpty();
            answeredAt = Instant.now();
            if (upstreamFailing) {
                upstreamFailing = false;
                LOG.info("Config store answers again");
            }
            return new Entry(value, now, now + (absent ? s.negativeTtl() : s.ttl()), false);
        } catch (RuntimeException e) {
            errors.increment();
            long now = clock.getAsLong();
            failedAt = Instant.now();
            failure = "looking up " + what + ": " + e.getMessage();
            if (!upstreamFailing) {
                upstreamFailing = true;
                // someone must act: the store is down or misconfigured; logged once, when it starts
                LOG.error("Config store failed looking up {}: cached records keep serving for up to {} s after "
                        + "they expire, others answer 503 until it is back", what,
                        TimeUnit.NANOSECONDS.toSeconds(s.staleIfError()), e);
            } else {
                LOG.debug("Config store still failing, looking up {}: {}", what, e.toString());
            }
            Object value = previous == null ? null : previous.value();
            long loadedAt = previous == null ? now : previous.loadedAt();
            return new Entry(value, loadedAt, now + s.retryInterval(), true);
        }
    }

    private Object follow(CompletableFuture<Entry> running, Object what) {
        try {
            Entry entry = running.get(FOLLOWER_WAIT_MS, TimeUnit.MILLISECONDS);
            return answer(entry, what, clock.getAsLong());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable(what, e);
        }
    }

    private Object answer(Entry entry, Object what, long now) {
        return entry.failing() ? staleOrFail(entry, what, now, null) : entry.value();
    }

    private Object staleOrFail(Entry entry, Object what, long now, Throwable cause) {
        Settings s = settings;
        if (entry.value() != null && now - (entry.loadedAt() + s.ttl() + s.staleIfError()) < 0) {
            staleServed.increment();
            LOG.debug("Serving {} as loaded {} s ago: the config store is failing", what,
                    TimeUnit.NANOSECONDS.toSeconds(now - entry.loadedAt()));
            return entry.value();
        }
        throw unavailable(what, cause);
    }

    private static S3Exception unavailable(Object what, Throwable cause) {
        return new S3Exception(S3ErrorCode.ServiceUnavailable, "config store unavailable looking up " + what, cause);
    }

    /** Makes the matching entries stale (kept as a fallback) and cuts loads in flight for them loose. */
    void expire(Predicate<Object> keys) {
        synchronized (writeLock) {
            long now = clock.getAsLong();
            entries.replaceAll((k, e) -> keys.test(k) ? e.expired(now) : e);
            inFlight.keySet().removeIf(keys);
        }
    }

    void expireAll() {
        expire(k -> true);
    }
}
