package io.multistore.backend.azure.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.ObjectStore;
import io.multistore.backend.conformance.Feature;
import io.multistore.backend.conformance.ObjectStoreConformance;
import io.multistore.lib.dataplane.PooledHttpTransport;
import io.multistore.lib.dataplane.TransportSettings;
import io.multistore.testsupport.AzuriteServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared backend contract, run against the Azure store on Azurite (in memory). Blob bodies go through the data
 * plane (Shared Key signed exchanges on the shared transport), the rest through the Azure SDK.
 */
class AzureObjectStoreConformanceTest extends ObjectStoreConformance {

    private static AzuriteServer azurite;
    private static PooledHttpTransport transport;
    private static AzureBackend backend;

    @BeforeAll
    static void startAzurite() {
        azurite = AzuriteServer.start();
        transport = new PooledHttpTransport(TransportSettings.DEFAULT);
        backend = new AzureBackend(transport);
    }

    @AfterAll
    static void stopAzurite() {
        if (transport != null) {
            transport.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    @Override
    protected ObjectStore newStore() {
        String container = azurite.createContainer();
        return backend.open(new BucketConfig("virtual", "az", "", false, List.of(), Map.of(
                "endpoint", azurite.endpoint(),
                "account_name", AzuriteServer.ACCOUNT,
                "container_name", container,
                "access_key", AzuriteServer.ACCOUNT_KEY)));
    }

    @Override
    protected String unsupportedKey(String key) {
        if (key.contains("//")) {
            return "Azurite collapses '//' in the request path before it checks the Shared Key signature (403)";
        }
        if (key.contains("\\")) {
            return "Azure Blob Storage reads '\\' in a blob name as '/' (Azure and Azurite alike)";
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0xfffe || c == 0xffff)) {
            return "Azurite answers 500 to a listing holding a name that XML 1.0 cannot carry";
        }
        return null;
    }

    @Override
    protected String unsupported(Feature feature) {
        return switch (feature) {
            case SUPPLEMENTARY_CHARACTER_ORDER -> "Azurite answers 500 to a listing holding characters outside the "
                    + "Basic Multilingual Plane";
            default -> null;
        };
    }
}
