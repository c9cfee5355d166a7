package io.multistore.api.backend;

import io.multistore.api.BucketConfig;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of object store ({@code backend_type}). Register one service per type with {@link #TYPE}, most simply with {@link BackendType}.
 */
@ConsumerType
public interface Backend {

    /** Service property: the {@code backend_type} this backend serves ({@code s3}, {@code az}, {@code gcs}, {@code fs}). */
    String TYPE = "multistore.backend.type";

    /**
     * Opens a store for one bucket configuration. The gateway caches the result per configuration and closes it
     * when that configuration changes or this backend goes away, after in-flight requests have finished.
     *
     * @throws io.multistore.api.S3Exception {@code ServiceUnavailable} for options that cannot work, such as a
     *                                       missing {@code bucket_name}: the bucket is misconfigured, which is the
     *                                       operator's fault, not the caller's (the message goes to the log only)
     */
    ObjectStore open(BucketConfig bucket);

    /**
     * The {@code backend_options} keys this backend understands. The gateway reports any other key of a bucket once,
     * when it opens the bucket's store, so a misspelt option is never silently ignored. Empty: not declared, nothing
     * is checked.
     */
    default Set<String> optionNames() {
        return Set.of();
    }
}
