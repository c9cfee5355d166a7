package io.multistore.backend.gcs.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.api.backend.ObjectStore;
import io.multistore.lib.dataplane.HttpTransport;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code backend_type = "gcs"}: Google Cloud Storage (and emulators speaking its API). Every bucket configuration
 * gets its own {@link GcsObjectStore} (a client library {@code Storage} for the control plane, closed with the store);
 * object bodies of all buckets share one pooled {@link HttpTransport}. {@link GsBackend} serves multistore's alias
 * {@code gs} with the same code.
 */
@Component(service = Backend.class)
@BackendType("gcs")
public class GcsBackend implements Backend {

    private final HttpTransport transport;

    /**
     * @param transport the shared data plane that carries object bodies
     */
    @Activate
    public GcsBackend(@Reference HttpTransport transport) {
        // nothing else to configure: everything comes from each bucket's backend_options
        this.transport = transport;
    }

    @Override
    public Set<String> optionNames() {
        return GcsStoreOptions.NAMES;
    }

    /**
     * @throws S3Exception {@code ServiceUnavailable} when the bucket's backend options are invalid or its credentials
     *                     cannot be loaded: the operator's fault; the detail is for the log only
     */
    @Override
    public ObjectStore open(BucketConfig bucket) {
        try {
            return GcsObjectStore.open(GcsStoreOptions.from(bucket), transport);
        } catch (IllegalArgumentException e) {
            throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null,
                    "its GCS backend options are invalid: " + e.getMessage());
        }
    }
}
