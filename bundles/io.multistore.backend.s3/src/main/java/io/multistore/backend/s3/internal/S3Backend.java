package io.multistore.backend.s3.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.auth.BackendCredentialSource;
import io.multistore.lib.dataplane.CredentialSources;
import io.multistore.lib.dataplane.HttpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code backend_type = "s3"}: AWS S3 and S3-compatible stores. Every bucket configuration gets its own
 * {@link S3ObjectStore} (an SDK client for the control plane, which the gateway closes with the store); object bodies
 * of all buckets share one pooled {@link HttpTransport}.
 */
@Component(service = Backend.class)
@BackendType("s3")
public final class S3Backend implements Backend {

    private final HttpTransport transport;
    private final CredentialSources credentialSources = new CredentialSources();

    /**
     * @param transport the shared data plane that carries object bodies
     */
    @Activate
    public S3Backend(@Reference HttpTransport transport) {
        // nothing else to configure: everything comes from each bucket's backend_options
        this.transport = transport;
    }

    /**
     * The {@code object_store} S3 option names this backend honours. {@code allow_http} is accepted because an
     * {@code http://} endpoint is always allowed here.
     */
    static final Set<String> OPTIONS = Set.of("bucket_name", "endpoint", "region", "access_key_id",
            "secret_access_key", "session_token", "skip_signature", "allow_http", "virtual_hosted_style_request",
            "auth_type", "oidc_role_arn", "oidc_subject", "oidc_audience", "sts_endpoint");

    /** Binds a source of credentials for buckets with an {@code auth_type} (OIDC federation). */
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
        return OPTIONS;
    }

    /**
     * @throws S3Exception {@code ServiceUnavailable} when the bucket's backend options are invalid: the operator's
     *                     fault; the detail is for the log (the gateway reports it once), the client learns only
     *                     that the bucket cannot be served (never the endpoint, region or key id of the options)
     */
    /**
     * Gateway mode: the account's buckets on the entry's endpoint ({@code ListBuckets} on the backend) whose
     * names fit the entry's {@code bucket_name} template. A short-lived client is opened for the call: ListBuckets is
     * rare and a template is not a bucket whose store the gateway caches.
     */
    @Override
    public List<String> bucketNames(BucketConfig template) {
        String nameTemplate = template.option("bucket_name").orElse("");
        if (!nameTemplate.contains(BUCKET_PLACEHOLDER)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (S3ObjectStore store = S3ObjectStore.open(S3StoreOptions.from(template), transport)) {
            for (String backendBucket : store.backendBuckets()) {
                String value = Backend.placeholderValue(nameTemplate, backendBucket);
                if (value != null) {
                    names.add(value);
                }
            }
        } catch (IllegalArgumentException e) {
            throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null,
                    "its S3 backend options are invalid: " + e.getMessage());
        }
        return names;
    }

    @Override
    public ObjectStore open(BucketConfig bucket) {
        try {
            S3StoreOptions options = S3StoreOptions.from(bucket);
            return S3ObjectStore.open(options, transport, CredentialSources.authType(bucket).isPresent()
                    ? new SourcedCredentials(credentialSources, bucket) : null);
        } catch (IllegalArgumentException e) {
            throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null,
                    "its S3 backend options are invalid: " + e.getMessage());
        }
    }
}
