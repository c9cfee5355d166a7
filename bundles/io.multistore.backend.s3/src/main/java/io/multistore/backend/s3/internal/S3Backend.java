package io.multistore.backend.s3.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.api.backend.ObjectStore;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code backend_type = "s3"}: AWS S3 and S3-compatible stores. Stateless: every bucket configuration gets its own
 * {@link S3ObjectStore} with its own client and connection pool, which the gateway closes with the store.
 */
@Component(service = Backend.class)
@BackendType("s3")
public final class S3Backend implements Backend {

    @Activate
    public S3Backend() {
        // nothing to configure: everything comes from each bucket's backend_options
    }

    /**
     * The {@code object_store} S3 option names this backend honours. {@code allow_http} is accepted because an
     * {@code http://} endpoint is always allowed here.
     */
    static final Set<String> OPTIONS = Set.of("bucket_name", "endpoint", "region", "access_key_id",
            "secret_access_key", "session_token", "skip_signature", "allow_http");

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public ObjectStore open(BucketConfig bucket) {
        return S3ObjectStore.open(S3StoreOptions.from(bucket));
    }
}
