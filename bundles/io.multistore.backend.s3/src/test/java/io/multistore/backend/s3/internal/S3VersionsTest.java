package io.multistore.backend.s3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.DeleteResult;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.ObjectVersion;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.backend.VersionListRequest;
import io.multistore.api.backend.VersionListing;
import io.multistore.lib.dataplane.PooledHttpTransport;
import io.multistore.lib.dataplane.TransportSettings;
import io.multistore.testsupport.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Versions and tags of the S3 store on a store that has them: moto's S3 server. */
class S3VersionsTest {

    private static MotoServer moto;
    private static PooledHttpTransport transport;
    private ObjectStore store;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        transport = new PooledHttpTransport(TransportSettings.DEFAULT);
    }

    @AfterAll
    static void stopMoto() {
        if (transport != null) {
            transport.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void open() {
        store = new S3Backend(transport).open(new BucketConfig("virtual", "s3", "", false, List.of(), Map.of(
                "endpoint", moto.endpoint(),
                "bucket_name", moto.createBucket(),
                "access_key_id", MotoServer.ACCESS_KEY,
                "secret_access_key", MotoServer.SECRET_KEY)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aBucketIsUnversionedUntilVersioningIsSwitchedOn() {
        assertFalse(store.supportsVersions());
        assertNull(store.versioningStatus());
        store.putVersioning("Enabled");
        assertTrue(store.supportsVersions());
        assertEquals("Enabled", store.versioningStatus());
    }

    @Test
    void versionsAndDeleteMarkers() throws IOException {
        store.putVersioning("Enabled");
        ObjectMeta v1 = put("k", "one", null);
        ObjectMeta v2 = put("k", "two", null);
        assertNotNull(v1.versionId());
        assertEquals(v2.versionId(), store.head("k", Preconditions.NONE).versionId());
        try (ObjectContent c = store.getVersion("k", v1.versionId(), null, Preconditions.NONE)) {
            assertEquals("one", new String(c.stream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(v1.versionId(), c.meta().versionId());
        }
        assertEquals(3, store.headVersion("k", v1.versionId(), Preconditions.NONE).size());

        DeleteResult marker = store.deleteVersion("k", null);
        assertTrue(marker.deleteMarker());
        assertEquals(S3ErrorCode.NoSuchKey, assertThrows(S3Exception.class,
                () -> store.head("k", Preconditions.NONE)).code());
        VersionListing listing = store.listVersions(new VersionListRequest("", null, null, null, 1000));
        assertEquals(List.of(marker.versionId(), v2.versionId(), v1.versionId()), listing.versions().stream()
                .map(ObjectVersion::versionId).toList());
        assertEquals(List.of(true, false, false), listing.versions().stream().map(ObjectVersion::deleteMarker)
                .toList());
        assertTrue(listing.versions().get(0).latest());

        store.deleteVersion("k", marker.versionId());
        assertEquals(v2.versionId(), store.head("k", Preconditions.NONE).versionId());
        ObjectMeta copy = store.copyVersion("k", v1.versionId(), Preconditions.NONE, "copy", null);
        assertEquals(3, copy.size());
        assertNotNull(copy.versionId());
    }

    @Test
    void tagsTravelWithWritesAndVersions() {
        store.putVersioning("Enabled");
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("a b", "x+y=z");
        tags.put("n", "1");
        ObjectMeta v1 = put("t", "tagged", tags);
        assertEquals(tags, store.getTags("t", null));
        assertEquals(2, store.head("t", Preconditions.NONE).tagCount());
        ObjectMeta v2 = put("t", "plain", null);
        assertEquals(Map.of(), store.getTags("t", null));
        assertEquals(tags, store.getTags("t", v1.versionId()));
        store.putTags("t", v2.versionId(), Map.of("s", "2"));
        assertEquals(Map.of("s", "2"), store.getTags("t", null));
        store.putTags("t", v1.versionId(), Map.of());
        assertEquals(Map.of(), store.getTags("t", v1.versionId()));

        String upload = store.createMultipartUpload("mp", ObjectAttributes.NONE.withTags(Map.of("mp", "y")));
        var part = store.uploadPart("mp", upload, 1, body("part"));
        store.completeMultipartUpload("mp", upload, List.of(new io.multistore.api.backend.CompletedPart(1,
                part.etag())));
        assertEquals(Map.of("mp", "y"), store.getTags("mp", null));
        store.copy("mp", Preconditions.NONE, "mp-copy", ObjectAttributes.NONE.withTags(Map.of("c", "z")));
        assertEquals(Map.of("c", "z"), store.getTags("mp-copy", null));
    }

    private ObjectMeta put(String key, String text, Map<String, String> tags) {
        return store.put(key, body(text), ObjectAttributes.NONE.withTags(tags), Preconditions.NONE);
    }

    private static ObjectBody body(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new ObjectBody(new ByteArrayInputStream(bytes), bytes.length);
    }
}
