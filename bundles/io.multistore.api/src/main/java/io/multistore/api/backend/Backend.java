package io.multistore.api.backend;

import io.multistore.api.BucketConfig;
import java.util.List;
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

    /**
     * The placeholder a gateway-mode entry (a {@code [[buckets]]} entry whose {@code name} is a pattern such as
     * {@code logs-*}) puts into its backend options: the gateway replaces it with the requested bucket's name.
     *
     * @since 1.3
     */
    String BUCKET_PLACEHOLDER = "{bucket}";

    /**
     * Gateway mode, for ListBuckets: the names that, put in place of {@link #BUCKET_PLACEHOLDER} in the
     * {@code template}'s options, name a container (bucket, directory) that exists on this backend now. The
     * template is a gateway-mode entry as configured (placeholder not replaced); the gateway keeps only the names
     * the entry's pattern matches and the caller may see. The default (a backend that cannot enumerate) returns an
     * empty list: its pattern buckets still serve by name, ListBuckets just does not show them.
     *
     * @throws io.multistore.api.S3Exception {@code ServiceUnavailable} when the backend cannot be asked
     * @since 1.3
     */
    default List<String> bucketNames(BucketConfig template) {
        return List.of();
    }

    /**
     * The value standing for {@link #BUCKET_PLACEHOLDER} when {@code name} is read against {@code template}
     * ({@code "logs-{bucket}"} and {@code "logs-a"} give {@code "a"}), or {@code null} when it does not fit. A
     * template without the placeholder fits nothing.
     *
     * @since 1.3
     */
    static String placeholderValue(String template, String name) {
        int at = template.indexOf(BUCKET_PLACEHOLDER);
        if (at < 0) {
            return null;
        }
        String head = template.substring(0, at);
        String tail = template.substring(at + BUCKET_PLACEHOLDER.length());
        if (tail.contains(BUCKET_PLACEHOLDER) || name.length() <= head.length() + tail.length()
                || !name.startsWith(head) || !name.endsWith(tail)) {
            return null;
        }
        return name.substring(head.length(), name.length() - tail.length());
    }
}
