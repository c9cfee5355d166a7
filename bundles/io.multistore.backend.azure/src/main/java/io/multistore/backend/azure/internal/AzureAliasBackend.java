package io.multistore.backend.azure.internal;

import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.lib.dataplane.HttpTransport;
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
}
