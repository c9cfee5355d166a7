package io.multistore.backend.gcs.internal;

import io.multistore.api.backend.Backend;
import io.multistore.api.backend.BackendType;
import io.multistore.lib.dataplane.HttpTransport;
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
}
