package io.multistore.backend.fs.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.api.backend.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code backend_type = "fs"}: a bucket is a local directory, named by the backend option {@code root} (relative
 * paths resolve against the working directory; created if absent). Runs without configuration; the optional
 * configuration tunes the sweep of stale uploads, which runs on a thread of its own: when a directory is first
 * opened, then periodically, never on a request's thread.
 */
@Component(service = Backend.class, configurationPid = FsBackend.PID)
@BackendType("fs")
@Designate(ocd = FsBackendConfig.class)
public final class FsBackend implements Backend {

    static final String PID = "io.multistore.backend.fs";
    /** The backend option naming the directory. */
    static final String ROOT = "root";

    private static final Logger LOG = LoggerFactory.getLogger(FsBackend.class);

    private final Duration staleUploadAge;
    /** The directories of the buckets opened since activation: the sweep visits each. */
    private final Set<Path> roots = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    @Activate
    public FsBackend(FsBackendConfig config) {
        this(Duration.ofHours(config.stale__upload__age__hours()),
                Duration.ofMinutes(Math.max(1, config.stale__upload__sweep__minutes())));
    }

    public FsBackend(Duration staleUploadAge, Duration sweepInterval) {
        if (staleUploadAge.isNegative()) {
            throw new IllegalArgumentException("stale_upload_age_hours must not be negative: " + staleUploadAge);
        }
        this.staleUploadAge = staleUploadAge;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "multistore-fs-sweep");
            t.setDaemon(true);
            return t;
        });
        long every = sweepInterval.toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepAll, every, every, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        sweeper.shutdownNow();
    }

    @Override
    public Set<String> optionNames() {
        return Set.of(ROOT);
    }

    @Override
    public ObjectStore open(BucketConfig bucket) {
        // a bucket without a usable directory is the operator's to fix: 503, the detail goes to the log
        String root = bucket.option(ROOT).orElseThrow(() -> S3Exception.withDetail(S3ErrorCode.ServiceUnavailable,
                null, "bucket " + bucket.name() + ": backend option 'root' (a directory) is required for "
                        + "backend_type fs"));
        Path path;
        try {
            path = Path.of(root);
        } catch (InvalidPathException e) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, null, null,
                    "bucket " + bucket.name() + ": backend option 'root' is not a valid path: " + root, e);
        }
        // a gateway-mode bucket's directory is made by CreateBucket, never by a request naming it
        FsObjectStore store = new FsObjectStore(path, bucket.pattern() == null);
        Path real = store.realRoot();
        if (roots.add(real)) {
            sweeper.execute(() -> sweep(real));
        }
        LOG.debug("Opened bucket {} on directory {}", bucket.name(), real);
        return store;
    }

    /**
     * Gateway mode: the directories beside the template's {@code root} whose names fit its last path element
     * ({@code /data/{bucket}} lists the directories of {@code /data}). The placeholder may stand only in the last
     * element; staging and hidden directories are never buckets.
     */
    @Override
    public List<String> bucketNames(BucketConfig template) {
        String root = template.option(ROOT).orElse("");
        Path path;
        try {
            path = Path.of(root).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return List.of();
        }
        Path parent = path.getParent();
        if (parent == null || path.getFileName() == null || parent.toString().contains(BUCKET_PLACEHOLDER)
                || !Files.isDirectory(parent)) {
            return List.of();
        }
        String last = path.getFileName().toString();
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(parent)) {
            entries.filter(Files::isDirectory).forEach(dir -> {
                String name = dir.getFileName().toString();
                String value = name.startsWith(".") ? null : Backend.placeholderValue(last, name);
                if (value != null) {
                    names.add(value);
                }
            });
        } catch (IOException e) {
            throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null, "cannot list " + parent + ": " + e);
        }
        return names;
    }

    /** Sweeps every directory opened so far. */
    void sweepAll() {
        roots.forEach(this::sweep);
    }

    private void sweep(Path root) {
        try {
            FsObjectStore.sweep(root, staleUploadAge);
        } catch (RuntimeException e) {
            LOG.warn("Sweeping stale uploads under {} failed: {}", root, e.toString());
        }
    }
}
