package io.multistore.backend.azure.internal;

import com.azure.core.http.HttpClient;
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
 * {@code backend_type = "az"}: Azure Blob Storage (and Azurite). Every bucket configuration gets its own
 * {@link AzureObjectStore}. Both planes of every bucket use the one pooled {@link HttpTransport}: object bodies
 * directly, the SDK's control plane through {@link TransportHttpClient} (no Netty, no HTTP client of its own).
 * multistore's alias {@code azure} is served by {@link AzureAliasBackend}.
 */
@Component(service = Backend.class)
@BackendType("az")
public class AzureBackend implements Backend {

    private final HttpTransport transport;
    private final HttpClient controlPlane;

    /**
     * @param transport the shared data plane that carries object bodies
     */
    @Activate
    public AzureBackend(@Reference HttpTransport transport) {
        // nothing else to configure: everything comes from each bucket's backend_options
        this.transport = transport;
        this.controlPlane = new TransportHttpClient(transport);
    }

    @Override
    public Set<String> optionNames() {
        return AzureStoreOptions.OPTION_NAMES;
    }

    /**
     * @throws S3Exception {@code ServiceUnavailable} when the bucket's backend options are invalid: the operator's
     *                     fault; the detail is for the log, the client never learns the account or endpoint
     */
    @Override
    public ObjectStore open(BucketConfig bucket) {
        try {
            return AzureObjectStore.open(AzureStoreOptions.from(bucket), transport, controlPlane);
        } catch (IllegalArgumentException e) {
            throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null,
                    "its Azure backend options are invalid: " + e.getMessage());
        }
    }
}
