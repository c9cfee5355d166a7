package io.multistore.backend.azure.internal;

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

/** {@code backend_type = "azure"}, multistore's alias of {@code az}: the same backend under a second name. */
@Component(service = Backend.class)
@BackendType("azure")
public final class AzureAliasBackend extends AzureBackend {

    @Activate
    public AzureAliasBackend(@Reference HttpTransport transport) {
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
