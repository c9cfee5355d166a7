package io.multistore.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multistore.api.BucketConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadinessCheckTest {

    static BucketConfig bucket(String name, String type) {
        return new BucketConfig(name, type, null, false, List.of(), Map.of());
    }

    @Test
    void namesEachMissingBackendTypeWithItsBuckets() {
        var missing = ReadinessCheck.missing(List.of(bucket("a", "fs"), bucket("b", "s3"), bucket("c", "s3"),
                bucket("d", "gcs")), Set.of("fs", "gcs"));
        assertEquals(Map.of("s3", Set.of("b", "c")), missing);
        assertEquals(Map.of(), ReadinessCheck.missing(List.of(bucket("a", "fs")), Set.of("fs")));
    }
}
