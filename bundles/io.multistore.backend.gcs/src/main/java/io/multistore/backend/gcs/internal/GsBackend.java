package io.multistore.backend.gcs.internal;

import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.api.auth.BackendCredentialSource;
import io.multistore.lib.dataplane.HttpTransport;
import java.util.Map;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code backend_type = "gs"}, multistore's alias of {@code gcs}: the same backend under a second type, since a
 * backend service carries one type.
 */
@Component(service = Backend.class)
@BackendType("gs")
public final class GsBackend extends GcsBackend {

    @Activate
    public GsBackend(@Reference HttpTransport transport) {
        super(transport);
    }

    // DS annotations are not inherited: the alias binds the credential sources itself
    @Override
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCredentialSource(BackendCredentialSource source, Map<String, Object> properties) {
        super.addCredentialSource(source, properties);
    }

    @Override
    void removeCredentialSource(BackendCredentialSource source, Map<String, Object> properties) {
        super.removeCredentialSource(source, properties);
    }
}
