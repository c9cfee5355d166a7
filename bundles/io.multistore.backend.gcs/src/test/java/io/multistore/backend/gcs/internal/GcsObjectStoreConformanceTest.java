package io.multistore.backend.gcs.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.ObjectStore;
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
 * data plane, the rest through the Google Cloud Storage client library. No opt-outs: the emulator serves every
 * feature the suite asks for (its one gap, common prefixes not counted against a page's size, the store absorbs by
 * cutting pages itself).
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
}
