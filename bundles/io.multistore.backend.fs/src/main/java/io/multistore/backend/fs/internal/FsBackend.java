package io.multistore.backend.fs.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.ObjectStore;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code backend_type = "fs"}: a bucket is a local directory, named by the backend option {@code root} (relative
 * paths resolve against the working directory; created if absent). Runs without configuration; the optional
 * configuration only tunes the sweep of stale uploads.
 */
@Component(service = Backend.class, property = Backend.TYPE + "=fs", configurationPid = FsBackend.PID)
@Designate(ocd = FsBackendConfig.class)
public final class FsBackend implements Backend {

    static final String PID = "io.multistore.backend.fs";
    /** The backend option naming the directory. */
    static final String ROOT = "root";

    private static final Logger LOG = LoggerFactory.getLogger(FsBackend.class);

    private final Duration staleUploadAge;
    /** Roots swept since activation: once per directory is enough, later stores find it clean. */
    private final Set<Path> swept = ConcurrentHashMap.newKeySet();

    @Activate
    public FsBackend(FsBackendConfig config) {
        this(Duration.ofHours(config.stale__upload__age__hours()));
    }

    public FsBackend(Duration staleUploadAge) {
        if (staleUploadAge.isNegative()) {
            throw new IllegalArgumentException("stale_upload_age_hours must not be negative: " + staleUploadAge);
        }
        this.staleUploadAge = staleUploadAge;
    }

    @Override
    public ObjectStore open(BucketConfig bucket) {
        String root = bucket.option(ROOT).orElseThrow(() -> new S3Exception(S3ErrorCode.InvalidArgument,
                "bucket " + bucket.name() + ": backend option 'root' (a directory) is required for backend_type fs"));
        Path path;
        try {
            path = Path.of(root);
        } catch (InvalidPathException e) {
            throw new S3Exception(S3ErrorCode.InvalidArgument,
                    "bucket " + bucket.name() + ": backend option 'root' is not a valid path: " + root, e);
        }
        FsObjectStore store = new FsObjectStore(path);
        if (swept.add(store.realRoot())) {
            store.sweep(staleUploadAge);
        }
        LOG.debug("Opened bucket {} on directory {}", bucket.name(), store.realRoot());
        return store;
    }
}
