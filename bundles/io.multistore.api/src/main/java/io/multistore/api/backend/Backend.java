package io.multistore.api.backend;

import io.multistore.api.BucketConfig;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of object store ({@code backend_type}). Register one service per type with {@link #TYPE}.
 */
@ConsumerType
public interface Backend {

    /** Service property: the {@code backend_type} this backend serves ({@code s3}, {@code az}, {@code gcs}, {@code fs}). */
    String TYPE = "multistore.backend.type";

    /**
     * Opens a store for one bucket configuration. The gateway caches the result per configuration and closes it
     * when that configuration changes or this backend goes away, after in-flight requests have finished.
     *
     * @throws io.multistore.api.S3Exception {@code InvalidArgument} (logged for the operator) for options that
     *                                       cannot work, such as a missing {@code bucket_name}
     */
    ObjectStore open(BucketConfig bucket);
}
