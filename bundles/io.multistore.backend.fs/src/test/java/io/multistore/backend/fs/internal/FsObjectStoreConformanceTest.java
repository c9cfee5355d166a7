package io.multistore.backend.fs.internal;

import io.multistore.api.backend.ObjectStore;
import io.multistore.backend.conformance.ObjectStoreConformance;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared backend suite on a fresh temporary directory per test. */
class FsObjectStoreConformanceTest extends ObjectStoreConformance {

    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() {
        return new FsObjectStore(dir.resolve("bucket"));
    }
}
