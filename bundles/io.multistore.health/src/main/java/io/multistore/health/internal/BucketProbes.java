package io.multistore.health.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each bucket's backend answers: a listing of at most one key under the bucket's prefix, through a store
 * opened once per bucket configuration and kept (opening an S3 or Azure store builds an SDK client, too dear for
 * every load-balancer poll). Answers are kept for a few seconds so frequent polls cost nothing; at most one probe
 * per bucket runs at a time, and a probe that does not answer within the timeout reports the bucket unreachable
 * while it goes on in the background (its answer is used when it comes).
 */
final class BucketProbes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BucketProbes.class);

    /** A bucket's backend answered ({@code reachable}) or not ({@code detail} says how), at {@code atNanos}. */
    record Outcome(boolean reachable, String detail, long atNanos) {
    }

    /** The backend a bucket's probe opens its store with, and an identity that changes when the backend does. */
    record BoundBackend(Backend backend, Object identity) {
    }

    /** One bucket's probe state: the store it opened for a configuration and backend, its last and running probe. */
    private static final class Probe {
        final BucketConfig config;
        final Object backendIdentity;
        final Backend backend;
        volatile ObjectStore store;
        volatile Outcome last;
        Future<Outcome> running;

        Probe(BucketConfig config, BoundBackend bound) {
            this.config = config;
            this.backendIdentity = bound.identity();
            this.backend = bound.backend();
        }
    }

    private final long timeoutNanos;
    private final long cacheNanos;
    private final LongSupplier clock;
    private final ExecutorService pool;
    private final Map<String, Probe> probes = new LinkedHashMap<>();
    private final Set<String> reportedDown = new HashSet<>();

    BucketProbes(long timeoutMs, long cacheMs, LongSupplier nanoClock) {
        if (timeoutMs <= 0 || cacheMs < 0) {
            throw new IllegalArgumentException("bucket_check_timeout_ms must be positive and bucket_check_cache_ms "
                    + "not negative");
        }
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.cacheNanos = TimeUnit.MILLISECONDS.toNanos(cacheMs);
        this.clock = nanoClock;
        // at most one probe per bucket runs at a time, so this never has more threads than buckets
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "multistore-bucket-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Probes (or answers from recent probes) every bucket given with its bound backend, waiting at most the
     * timeout in all. Buckets not given are forgotten and their stores closed.
     *
     * @return each bucket's outcome, in the order given
     */
    synchronized Map<String, Outcome> check(Map<BucketConfig, BoundBackend> buckets) {
        long now = clock.getAsLong();
        Set<String> names = new HashSet<>();
        List<Probe> waiting = new ArrayList<>();
        for (Map.Entry<BucketConfig, BoundBackend> e : buckets.entrySet()) {
            BucketConfig bucket = e.getKey();
            names.add(bucket.name());
            Probe probe = probes.get(bucket.name());
            if (probe == null || !probe.config.equals(bucket) || probe.backendIdentity != e.getValue().identity()) {
                if (probe != null) {
                    retire(probe);
                }
                probe = new Probe(bucket, e.getValue());
                probes.put(bucket.name(), probe);
            }
            Outcome last = probe.last;
            if (last != null && now - last.atNanos() < cacheNanos) {
                continue;
            }
            if (probe.running == null || probe.running.isDone()) {
                Probe p = probe;
                probe.running = pool.submit(() -> probe(p));
            }
            waiting.add(probe);
        }
        long deadline = now + timeoutNanos;
        for (Probe probe : waiting) {
            try {
                probe.last = probe.running.get(Math.max(0, deadline - clock.getAsLong()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                probe.last = new Outcome(false, "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms", clock.getAsLong());
            } catch (ExecutionException e) {
                probe.last = new Outcome(false, String.valueOf(e.getCause()), clock.getAsLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                probe.last = new Outcome(false, "interrupted", clock.getAsLong());
            }
        }
        for (var it = probes.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Probe> e = it.next();
            if (!names.contains(e.getKey())) {
                retire(e.getValue());
                it.remove();
            }
        }
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (BucketConfig bucket : buckets.keySet()) {
            Outcome outcome = probes.get(bucket.name()).last;
            outcomes.put(bucket.name(), outcome);
            logChange(bucket, outcome);
        }
        return outcomes;
    }

    /** One probe: opens the bucket's store the first time, then lists at most one key. Runs on the pool. */
    private Outcome probe(Probe p) {
        try {
            ObjectStore store = p.store;
            if (store == null) {
                store = p.backend.open(p.config);
                p.store = store;
            }
            store.list(new ListRequest(p.config.backendPrefix(), null, null, null, 1));
            return new Outcome(true, null, clock.getAsLong());
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(false, message, clock.getAsLong());
        }
    }

    /** A backend going unreachable is logged once, when it happens, and once when it answers again. */
    private void logChange(BucketConfig bucket, Outcome outcome) {
        if (!outcome.reachable() && reportedDown.add(bucket.name())) {
            LOG.warn("Bucket '{}': its {} backend does not answer: {}", bucket.name(), bucket.backendType(),
                    outcome.detail());
        } else if (outcome.reachable() && reportedDown.remove(bucket.name())) {
            LOG.info("Bucket '{}': its {} backend answers again", bucket.name(), bucket.backendType());
        }
    }

    /** Closes a probe's store once no probe of it runs any more. */
    private void retire(Probe probe) {
        Future<Outcome> running = probe.running;
        if (running == null || running.isDone()) {
            closeStore(probe);
        } else {
            pool.execute(() -> {
                try {
                    running.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // reported by the check that waited for it
                }
                closeStore(probe);
            });
        }
    }

    private static void closeStore(Probe probe) {
        ObjectStore store = probe.store;
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the probe's store of bucket '{}' failed", probe.config.name(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        pool.shutdownNow();
        probes.values().forEach(BucketProbes::closeStore);
        probes.clear();
    }
}
