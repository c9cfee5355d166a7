package io.multistore.core.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ObjectStore} per bucket, opened once from its backend and configuration and shared by all requests.
 * A store is replaced when the bucket's configuration record changes or its backend goes away; the replaced store
 * is closed when the last request holding a {@link Lease} on it ends, never under a running request.
 * <p>
 * The cache is bounded: beyond {@code maxStores} the least recently used store is retired, and {@link #sweep} retires
 * stores idle for longer than the idle timeout and those whose bucket was removed or changed, so a store never
 * outlives its configuration for long even when no request names that bucket again. A failed open is remembered for
 * a short while, so a misconfigured bucket is reported once instead of on every request.
 */
final class StoreCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCache.class);

    static final int DEFAULT_MAX_STORES = 1000;
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** How long a failed open is answered from memory before the backend is asked again. */
    static final Duration FAILURE_MEMORY = Duration.ofSeconds(30);

    private final Object lock = new Object();
    /** By bucket name; changed only under the lock. */
    private final LinkedHashMap<String, Entry> current = new LinkedHashMap<>();
    /**
     * The same entries, read without the lock: a request for a bucket whose store is open takes its lease with two
     * atomic operations, so requests never queue for the lock (they did, and a busy node convoyed on it).
     */
    private final ConcurrentHashMap<String, Entry> live = new ConcurrentHashMap<>();
    /** Orders uses, for evicting the least recently used store. */
    private final AtomicLong uses = new AtomicLong();
    private final Map<String, Failure> failures = new LinkedHashMap<>();
    /** Backends that went away: a store opened from one of them by a request already running is never cached. */
    private final Set<Backend> retiredBackends = Collections.newSetFromMap(new WeakHashMap<>());
    private final int maxStores;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoTime;

    StoreCache() {
        this(DEFAULT_MAX_STORES, DEFAULT_IDLE_TIMEOUT, System::nanoTime);
    }

    StoreCache(int maxStores, Duration idleTimeout, LongSupplier nanoTime) {
        if (maxStores < 1) {
            throw new IllegalArgumentException("maxStores must be positive");
        }
        this.maxStores = maxStores;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.nanoTime = nanoTime;
    }

    /** A request's hold on a store; closing it lets a retired store close. */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Entry entry) {
            this.entry = entry;
        }

        ObjectStore store() {
            return entry.store;
        }

        @Override
        public void close() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            entry.lastUsed = nanoTime.getAsLong();
            if (entry.release()) {
                entry.closeStore();
            }
        }
    }

    private static final class Entry {
        final Backend backend;
        final BucketConfig config;
        final ObjectStore store;
        final AtomicInteger leases = new AtomicInteger();
        volatile long lastUsed;
        /** From {@link #uses}: larger is more recent. */
        volatile long recency;
        /** Set under the lock, when the entry leaves {@link #current}; never cleared. */
        volatile boolean retired;
        final AtomicBoolean closed = new AtomicBoolean();

        Entry(Backend backend, BucketConfig config, ObjectStore store) {
            this.backend = backend;
            this.config = config;
            this.store = store;
        }

        boolean serves(Backend b, BucketConfig c) {
            return backend == b && config.equals(c);
        }

        /**
         * Takes a lease without the lock; fails (leaving nothing behind) when the entry has been retired. The lease
         * count goes up before {@link #retired} is read and retiring sets it before reading the count, so either
         * this sees the retirement or the retirement sees the lease.
         */
        boolean tryLease(long now, long use) {
            leases.incrementAndGet();
            if (retired) {
                if (release()) {
                    closeStore();
                }
                return false;
            }
            lastUsed = now;
            recency = use;
            return true;
        }

        /** Ends a lease: whether the caller must close the store now (exactly once). */
        boolean release() {
            return leases.decrementAndGet() == 0 && retired && closed.compareAndSet(false, true);
        }

        /** Whether the caller must close the store now (exactly once): retired and no lease left. */
        boolean closeIfIdle() {
            return retired && leases.get() == 0 && closed.compareAndSet(false, true);
        }

        void closeStore() {
            try {
                store.close();
                LOG.debug("Closed the store of bucket '{}'", config.name());
            } catch (Exception e) {
                LOG.warn("Closing the store of bucket '{}' failed", config.name(), e);
            }
        }
    }

    /** An open that failed, answered again without asking the backend until it expires or the bucket changes. */
    private record Failure(Backend backend, BucketConfig config, S3Exception error, long at) {
    }

    /** A failure the log already holds in full: the gateway answers it without logging the detail again. */
    static final class ReportedFailure extends S3Exception {
        private static final long serialVersionUID = 1L;

        ReportedFailure(S3Exception original) {
            super(original.code(), original.clientMessage(), original.resource(), null, null);
        }
    }

    /**
     * Leases the store for a bucket, opening it if this backend and configuration have none yet.
     *
     * @throws S3Exception as {@link Backend#open} does; an open that failed is reported in the log once and then
     *                     answered as a {@link ReportedFailure} for a while
     */
    Lease acquire(Backend backend, BucketConfig bucket) {
        long now = nanoTime.getAsLong();
        Entry hot = live.get(bucket.name());
        if (hot != null && hot.serves(backend, bucket) && hot.tryLease(now, uses.incrementAndGet())) {
            return new Lease(hot);
        }
        synchronized (lock) {
            Entry e = current.get(bucket.name());
            if (e != null && e.serves(backend, bucket)) {
                e.leases.incrementAndGet();
                e.lastUsed = now;
                e.recency = uses.incrementAndGet();
                return new Lease(e);
            }
            Failure f = failures.get(bucket.name());
            if (f != null) {
                if (f.backend == backend && f.config.equals(bucket) && now - f.at < FAILURE_MEMORY.toNanos()) {
                    throw new ReportedFailure(f.error);
                }
                failures.remove(bucket.name());
            }
        }
        // opening may do I/O: not under the lock
        ObjectStore opened;
        try {
            opened = backend.open(bucket);
        } catch (S3Exception e) {
            return rememberFailure(backend, bucket, e, now);
        } catch (RuntimeException e) {
            return rememberFailure(backend, bucket, new S3Exception(S3ErrorCode.ServiceUnavailable,
                    S3ErrorCode.ServiceUnavailable.defaultMessage(), bucket.name(), e.toString(), e), now);
        }
        Entry fresh = new Entry(backend, bucket, opened);
        fresh.lastUsed = now;
        fresh.recency = uses.incrementAndGet();
        List<Entry> toClose = new ArrayList<>(2);
        Lease lease;
        synchronized (lock) {
            Entry e = current.get(bucket.name());
            if (retiredBackends.contains(backend)) {
                // the backend left while this request was opening: serve this request, cache nothing
                fresh.retired = true;
                fresh.leases.set(1);
                lease = new Lease(fresh);
            } else if (e != null && e.serves(backend, bucket)) {
                // another request opened the same store meanwhile: use that one
                e.leases.incrementAndGet();
                lease = new Lease(e);
                fresh.retired = true;
                fresh.closed.set(true);
                toClose.add(fresh);
            } else {
                if (e != null) {
                    retire(e, toClose);
                }
                fresh.leases.set(1);
                current.put(bucket.name(), fresh);
                live.put(bucket.name(), fresh);
                lease = new Lease(fresh);
                evictOverflow(toClose);
                LOG.debug("Opened a store for bucket '{}' (backend_type '{}')", bucket.name(), bucket.backendType());
                warnUnknownOptions(backend, bucket);
            }
        }
        toClose.forEach(Entry::closeStore);
        return lease;
    }

    private Lease rememberFailure(Backend backend, BucketConfig bucket, S3Exception error, long now) {
        if (error.status() < 500) {
            throw error; // a client's error, not the bucket's
        }
        LOG.error("Bucket '{}' (backend_type '{}') cannot be served; requests answer {} until its configuration "
                + "changes: {}", bucket.name(), bucket.backendType(), error.code(), error.getMessage(),
                error.getCause());
        synchronized (lock) {
            if (!retiredBackends.contains(backend)) {
                failures.put(bucket.name(), new Failure(backend, bucket, error, now));
                while (failures.size() > maxStores) {
                    Iterator<String> it = failures.keySet().iterator();
                    it.next();
                    it.remove();
                }
            }
        }
        throw new ReportedFailure(error);
    }

    /** Reports, once per opened configuration, the options the backend says it does not understand. */
    private static void warnUnknownOptions(Backend backend, BucketConfig bucket) {
        Set<String> known = backend.optionNames();
        if (known.isEmpty()) {
            return;
        }
        Set<String> unknown = new TreeSet<>();
        for (String option : bucket.backendOptions().keySet()) {
            if (!known.contains(option) && !BackendAuth.OPTIONS.contains(option)) {
                unknown.add(option);
            }
        }
        if (!unknown.isEmpty()) {
            LOG.warn("Bucket '{}': backend_type '{}' does not understand the backend_options {}; they are ignored",
                    bucket.name(), bucket.backendType(), unknown);
        }
    }

    /** Under the lock: retires the least recently used stores beyond the bound. */
    private void evictOverflow(List<Entry> toClose) {
        while (current.size() > maxStores) {
            Entry oldest = null;
            for (Entry e : current.values()) {
                if (oldest == null || e.recency < oldest.recency) {
                    oldest = e;
                }
            }
            current.remove(oldest.config.name());
            live.remove(oldest.config.name(), oldest);
            retire(oldest, toClose);
        }
    }

    /** Retires every store of a backend that went away, and any it opens for requests already running. */
    void retireBackend(Backend backend) {
        List<Entry> toClose = new ArrayList<>();
        synchronized (lock) {
            retiredBackends.add(backend);
            failures.values().removeIf(f -> f.backend == backend);
            for (Iterator<Entry> it = current.values().iterator(); it.hasNext();) {
                Entry e = it.next();
                if (e.backend == backend) {
                    it.remove();
                    live.remove(e.config.name(), e);
                    retire(e, toClose);
                }
            }
        }
        toClose.forEach(Entry::closeStore);
    }

    /** A backend (re)appeared: stores may be cached for it again. */
    void admitBackend(Backend backend) {
        synchronized (lock) {
            retiredBackends.remove(backend);
        }
    }

    /** Retires the store of a bucket that no longer exists. */
    void retireBucket(String name) {
        List<Entry> toClose = new ArrayList<>(1);
        synchronized (lock) {
            failures.remove(name);
            Entry e = current.remove(name);
            if (e != null) {
                live.remove(name, e);
                retire(e, toClose);
            }
        }
        toClose.forEach(Entry::closeStore);
    }

    /**
     * Retires stores idle beyond the idle timeout and stores whose bucket is gone or changed.
     *
     * @param lookup the bucket's current configuration; it may do I/O (it runs outside the lock) and may throw, which
     *               keeps that store
     */
    void sweep(Function<String, Optional<BucketConfig>> lookup) {
        List<Entry> snapshot;
        synchronized (lock) {
            snapshot = new ArrayList<>(current.values());
        }
        long now = nanoTime.getAsLong();
        List<Entry> stale = new ArrayList<>();
        for (Entry e : snapshot) {
            boolean idle;
            synchronized (lock) {
                idle = e.leases.get() == 0 && now - e.lastUsed > idleTimeoutNanos;
            }
            if (idle) {
                stale.add(e);
                continue;
            }
            try {
                Optional<BucketConfig> latest = lookup.apply(e.config.name());
                if (latest.isEmpty() || !latest.get().equals(e.config)) {
                    stale.add(e);
                }
            } catch (RuntimeException ex) {
                LOG.debug("Could not check bucket '{}' for changes: {}", e.config.name(), ex.toString());
            }
        }
        List<Entry> toClose = new ArrayList<>();
        synchronized (lock) {
            for (Entry e : stale) {
                if (current.get(e.config.name()) == e) {
                    current.remove(e.config.name());
                    live.remove(e.config.name(), e);
                    retire(e, toClose);
                }
            }
        }
        if (!stale.isEmpty()) {
            LOG.debug("Retired {} idle, removed or changed bucket store(s)", stale.size());
        }
        toClose.forEach(Entry::closeStore);
    }

    /** How many stores are cached (for tests and diagnostics). */
    int size() {
        synchronized (lock) {
            return current.size();
        }
    }

    @Override
    public void close() {
        List<Entry> toClose = new ArrayList<>();
        synchronized (lock) {
            for (Entry e : current.values()) {
                retire(e, toClose);
            }
            current.clear();
            live.clear();
            failures.clear();
        }
        toClose.forEach(Entry::closeStore);
    }

    private static void retire(Entry e, List<Entry> toClose) {
        e.retired = true;
        if (e.closeIfIdle()) {
            toClose.add(e);
        }
    }
}
