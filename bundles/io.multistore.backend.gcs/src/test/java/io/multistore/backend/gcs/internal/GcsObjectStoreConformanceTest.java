package io.multistore.backend.gcs.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.ObjectStore;
import io.multistore.backend.conformance.Feature;
import io.multistore.backend.conformance.ObjectStoreConformance;
import io.multistore.lib.dataplane.PooledHttpTransport;
import io.multistore.lib.dataplane.TransportSettings;
import io.multistore.testsupport.FakeGcsServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared backend contract, run against the GCS store on fake-gcs-server (in memory): object bodies through the
 * data plane, the rest through the Google Cloud Storage client library. Every opt-out below is a gap of the emulator,
 * named as such; GCS itself has the feature.
 */
class GcsObjectStoreConformanceTest extends ObjectStoreConformance {

    private static FakeGcsServer gcs;
    private static PooledHttpTransport transport;

    @BeforeAll
    static void startFakeGcs() {
        gcs = FakeGcsServer.start();
        transport = new PooledHttpTransport(TransportSettings.DEFAULT);
    }

    @AfterAll
    static void stopFakeGcs() {
        if (transport != null) {
            transport.close();
        }
        if (gcs != null) {
            gcs.close();
        }
    }

    @Override
    protected ObjectStore newStore() {
        return new GcsBackend(transport).open(new BucketConfig("virtual", "gcs", "", false, List.of(), Map.of(
                "endpoint", gcs.endpoint(),
                "bucket_name", gcs.createBucket(),
                "skip_signature", "true")));
    }

    @Override
    protected String unsupported(Feature feature) {
        return null;
    }
}
