package io.multistore.backend.azure.internal;

import com.azure.core.http.HttpClient;
import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.auth.BackendCredential;
import io.multistore.api.auth.BackendCredentialSource;
import io.multistore.api.auth.BearerToken;
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
    private final CredentialSources credentialSources = new CredentialSources();

    /**
     * @param transport the shared data plane that carries object bodies
     */
    @Activate
    public AzureBackend(@Reference HttpTransport transport) {
        // nothing else to configure: everything comes from each bucket's backend_options
        this.transport = transport;
        this.controlPlane = new TransportHttpClient(transport);
    }

    /** Binds a source of bearer tokens for buckets with an {@code auth_type} (OIDC federation with Entra). */
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
        return AzureStoreOptions.OPTION_NAMES;
    }

    /**
     * @throws S3Exception {@code ServiceUnavailable} when the bucket's backend options are invalid: the operator's
     *                     fault; the detail is for the log, the client never learns the account or endpoint
     */
    private String bearer(BucketConfig bucket) {
        BackendCredential credential = credentialSources.credential(bucket);
        if (credential instanceof BearerToken token) {
            return token.token();
        }
        throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null, "bucket " + bucket.name()
                + ": its auth_type source supplied " + credential.getClass().getSimpleName() + ", not a bearer token");
    }

    @Override
    public ObjectStore open(BucketConfig bucket) {
        try {
            return AzureObjectStore.open(AzureStoreOptions.from(bucket), transport, controlPlane,
                    CredentialSources.authType(bucket).isPresent() ? () -> bearer(bucket) : null);
        } catch (IllegalArgumentException e) {
            throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null,
                    "its Azure backend options are invalid: " + e.getMessage());
        }
    }
}
