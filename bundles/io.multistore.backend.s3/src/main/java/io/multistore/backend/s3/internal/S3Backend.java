package io.multistore.backend.s3.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.lib.dataplane.HttpTransport;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code backend_type = "s3"}: AWS S3 and S3-compatible stores. Every bucket configuration gets its own
 * {@link S3ObjectStore} (an SDK client for the control plane, which the gateway closes with the store); object bodies
 * of all buckets share one pooled {@link HttpTransport}.
 */
@Component(service = Backend.class)
@BackendType("s3")
public final class S3Backend implements Backend {

    private static final Logger LOG = LoggerFactory.getLogger(S3Backend.class);
    /** Bucket configurations already reported as invalid: an operator hears of each once, not per request. */
    private final Set<BucketConfig> reported = ConcurrentHashMap.newKeySet();
    private final HttpTransport transport;

    /**
     * @param transport the shared data plane that carries object bodies
     */
    @Activate
    public S3Backend(@Reference HttpTransport transport) {
        // nothing else to configure: everything comes from each bucket's backend_options
        this.transport = transport;
    }

    /**
     * @throws S3Exception {@code ServiceUnavailable} when the bucket's backend options are invalid: the operator's
     *                     fault, logged here once with the detail; the client learns only that the bucket cannot be
     *                     served (never the endpoint, region or key id of the options)
     */
    @Override
    public ObjectStore open(BucketConfig bucket) {
        try {
            return S3ObjectStore.open(S3StoreOptions.from(bucket), transport);
        } catch (IllegalArgumentException e) {
            if (reported.size() > 1024) {
                reported.clear();
            }
            if (reported.add(bucket)) {
                LOG.error("Bucket '{}' cannot be served: its S3 backend options are invalid: {}", bucket.name(),
                        e.getMessage());
            }
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, "bucket '" + bucket.name()
                    + "' has invalid S3 backend options (reported once in the log)", bucket.name(), null);
        }
    }
}
