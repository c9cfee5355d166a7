package io.multistore.backend.s3.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.api.backend.ObjectStore;
import io.multistore.lib.dataplane.HttpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code backend_type = "s3"}: AWS S3 and S3-compatible stores. Every bucket configuration gets its own
 * {@link S3ObjectStore} (an SDK client for the control plane, which the gateway closes with the store); object bodies
 * of all buckets share one pooled {@link HttpTransport}.
 */
@Component(service = Backend.class)
@BackendType("s3")
public final class S3Backend implements Backend {

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
     * The {@code object_store} S3 option names this backend honours. {@code allow_http} is accepted because an
     * {@code http://} endpoint is always allowed here.
     */
    static final Set<String> OPTIONS = Set.of("bucket_name", "endpoint", "region", "access_key_id",
            "secret_access_key", "session_token", "skip_signature", "allow_http", "virtual_hosted_style_request");

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
            return S3ObjectStore.open(S3StoreOptions.from(bucket), transport);
        } catch (IllegalArgumentException e) {
            throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null,
                    "its S3 backend options are invalid: " + e.getMessage());
        }
    }
}
