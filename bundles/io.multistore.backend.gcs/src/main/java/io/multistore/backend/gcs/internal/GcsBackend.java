package io.multistore.backend.gcs.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.auth.BackendCredentialSource;
import io.multistore.lib.dataplane.CredentialSources;
import io.multistore.lib.dataplane.HttpTransport;
import java.util.Map;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
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
    private final CredentialSources credentialSources = new CredentialSources();

    /**
     * @param transport the shared data plane that carries object bodies
     */
    @Activate
    public GcsBackend(@Reference HttpTransport transport) {
        // nothing else to configure: everything comes from each bucket's backend_options
        this.transport = transport;
    }

    /** Binds a source of bearer tokens for buckets with an {@code auth_type} (OIDC workload identity federation). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCredentialSource(BackendCredentialSource source, Map<String, Object> properties) {
        credentialSources.add(source, properties);
    }

    void removeCredentialSource(BackendCredentialSource source, Map<String, Object> properties) {
        credentialSources.remove(source, properties);
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
            GcsStoreOptions options = GcsStoreOptions.from(bucket);
            return CredentialSources.authType(bucket).isEmpty() ? GcsObjectStore.open(options, transport)
                    : GcsObjectStore.open(options, transport, GcsObjectStore.COMPOSE_LIMIT,
                            new SourcedCredentials(credentialSources, bucket));
        } catch (IllegalArgumentException e) {
            throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null,
                    "its GCS backend options are invalid: " + e.getMessage());
        }
    }
}
