package io.multistore.core.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.ObjectStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ObjectStore} per bucket, opened once from its backend and configuration and shared by all requests.
 * A store is replaced when the bucket's configuration record changes or its backend goes away; the replaced store
 * is closed when the last request holding a {@link Lease} on it ends, never under a running request.
 */
final class StoreCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCache.class);

    private final Object lock = new Object();
    private final Map<String, Entry> current = new HashMap<>();

    /** A request's hold on a store; closing it lets a retired store close. */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        ObjectStore store() {
            return entry.store;
        }

        @Override
        public void close() {
            boolean closeNow;
            synchronized (lock) {
                if (released) {
                    return;
                }
                released = true;
                entry.leases--;
                closeNow = entry.closeIfIdle();
            }
            if (closeNow) {
                entry.closeStore();
            }
        }
    }

    private static final class Entry {
        final Backend backend;
        final BucketConfig config;
        final ObjectStore store;
        int leases;
        boolean retired;
        boolean closed;

        Entry(Backend backend, BucketConfig config, ObjectStore store) {
            this.backend = backend;
            this.config = config;
            this.store = store;
        }

        boolean serves(Backend b, BucketConfig c) {
            return backend == b && config.equals(c);
        }

        /** Under the lock: whether the caller must close the store now (exactly once). */
        boolean closeIfIdle() {
            if (retired && leases == 0 && !closed) {
                closed = true;
                return true;
            }
            return false;
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

    /**
     * Leases the store for a bucket, opening it if this backend and configuration have none yet.
     *
     * @throws io.multistore.api.S3Exception as {@link Backend#open} does
     */
    Lease acquire(Backend backend, BucketConfig bucket) {
        synchronized (lock) {
            Entry e = current.get(bucket.name());
            if (e != null && e.serves(backend, bucket)) {
                e.leases++;
                return new Lease(e);
            }
        }
        // opening may do I/O: not under the lock
        ObjectStore opened = backend.open(bucket);
        Entry fresh = new Entry(backend, bucket, opened);
        List<Entry> toClose = new ArrayList<>(2);
        Lease lease;
        synchronized (lock) {
            Entry e = current.get(bucket.name());
            if (e != null && e.serves(backend, bucket)) {
                // another request opened the same store meanwhile: use that one
                e.leases++;
                lease = new Lease(e);
                fresh.retired = true;
                fresh.closed = true;
                toClose.add(fresh);
            } else {
                if (e != null) {
                    retire(e, toClose);
                }
                fresh.leases = 1;
                current.put(bucket.name(), fresh);
                lease = new Lease(fresh);
                LOG.debug("Opened a store for bucket '{}' (backend_type '{}')", bucket.name(), bucket.backendType());
            }
        }
        toClose.forEach(Entry::closeStore);
        return lease;
    }

    /** Retires every store of a backend that went away. */
    void retireBackend(Backend backend) {
        List<Entry> toClose = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<Entry> it = current.values().iterator(); it.hasNext();) {
                Entry e = it.next();
                if (e.backend == backend) {
                    it.remove();
                    retire(e, toClose);
                }
            }
        }
        toClose.forEach(Entry::closeStore);
    }

    /** Retires the store of a bucket that no longer exists. */
    void retireBucket(String name) {
        List<Entry> toClose = new ArrayList<>(1);
        synchronized (lock) {
            Entry e = current.remove(name);
            if (e != null) {
                retire(e, toClose);
            }
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
