package io.multistore.backend.azure.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.Preconditions;
import io.multistore.lib.dataplane.PooledHttpTransport;
import io.multistore.lib.dataplane.TransportSettings;
import io.multistore.testsupport.AzuriteServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the shared conformance suite does not cover: credentials, hidden upload records, Azure-specific mapping. */
class AzureObjectStoreTest {

    private static AzuriteServer azurite;
    private static PooledHttpTransport transport;
    private static AzureBackend backend;

    @BeforeAll
    static void start() {
        azurite = AzuriteServer.start();
        transport = new PooledHttpTransport(TransportSettings.DEFAULT);
        backend = new AzureBackend(transport);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    private static ObjectStore open(String container, Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(Map.of("endpoint", azurite.endpoint(), "container_name",
                container));
        options.putAll(extra);
        return backend.open(new BucketConfig("b", "az", "", false, List.of(), options));
    }

    private static ObjectStore keyed(String container) {
        return open(container, Map.of("access_key", AzuriteServer.ACCOUNT_KEY));
    }

    private static ObjectBody body(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new ObjectBody(new ByteArrayInputStream(bytes), bytes.length);
    }

    @Test
    void skipSignatureReadsAPublicContainer() throws Exception {
        String container = "public-" + System.nanoTime();
        azurite.createContainer(container, true);
        try (ObjectStore writer = keyed(container);
                ObjectStore reader = open(container, Map.of("skip_signature", "true"))) {
            ObjectMeta put = writer.put("open/data.txt", body("public bytes"), ObjectAttributes.NONE,
                    Preconditions.NONE);
            try (ObjectContent content = reader.get("open/data.txt", null, Preconditions.NONE)) {
                assertEquals(put.etag(), content.meta().etag());
                assertEquals("public bytes", new String(content.stream().readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals(List.of("open/data.txt"), reader.list(new ListRequest("", null, null, null, 1000))
                    .objects().stream().map(o -> o.key()).toList());
            // writing unsigned is refused by Azure: the gateway's credentials, not the client's fault
            S3Exception refused = assertThrows(S3Exception.class, () -> reader.put("open/other", body("x"),
                    ObjectAttributes.NONE, Preconditions.NONE));
            assertEquals(S3ErrorCode.AccessDenied, refused.code());
        }
    }

    @Test
    void sasTokenSignsBothPlanes() throws Exception {
        String container = azurite.createContainer();
        BlobContainerClient admin = new BlobContainerClientBuilder()
                .endpoint(azurite.endpoint() + "/" + container)
                .credential(new StorageSharedKeyCredential(AzuriteServer.ACCOUNT, AzuriteServer.ACCOUNT_KEY))
                .httpClient(new TransportHttpClient(transport))
                .buildClient();
        String sas = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse("racwdl")));
        try (ObjectStore store = open(container, Map.of("sas_token", "?" + sas))) {
            store.put("sas/one", body("one"), ObjectAttributes.NONE, Preconditions.NONE);
            String id = store.createMultipartUpload("sas/mp", ObjectAttributes.NONE);
            PartInfo part = store.uploadPart("sas/mp", id, 1, body("part"));
            store.completeMultipartUpload("sas/mp", id, List.of(new CompletedPart(1, part.etag())));
            store.copy("sas/one", Preconditions.NONE, "sas/copy", null);
            assertEquals(List.of("sas/copy", "sas/mp", "sas/one"), store.list(new ListRequest("sas/", null, null,
                    null, 1000)).objects().stream().map(o -> o.key()).toList());
            assertEquals(Map.of(), store.deleteObjects(List.of("sas/one", "sas/copy", "sas/mp")));
        }
    }

    @Test
    void aWrongAccountKeyIsAccessDeniedWithTheDetailForTheLogOnly() {
        String container = azurite.createContainer();
        try (ObjectStore store = open(container, Map.of("access_key",
                java.util.Base64.getEncoder().encodeToString(new byte[64])))) {
            S3Exception e = assertThrows(S3Exception.class, () -> store.head("k", Preconditions.NONE));
            assertEquals(S3ErrorCode.AccessDenied, e.code());
            assertEquals(S3ErrorCode.AccessDenied.defaultMessage(), e.clientMessage());
            assertTrue(e.detail().contains("403"), e.detail());
            S3Exception listing = assertThrows(S3Exception.class,
                    () -> store.list(new ListRequest("", null, null, null, 10)));
            assertEquals(S3ErrorCode.AccessDenied, listing.code());
        }
    }

    @Test
    void aMissingContainerIsNoSuchBucketAndCanBeCreated() throws Exception {
        try (ObjectStore store = keyed("absent-" + System.nanoTime())) {
            assertEquals(S3ErrorCode.NoSuchBucket, assertThrows(S3Exception.class,
                    () -> store.list(new ListRequest("", null, null, null, 10))).code());
            store.createBucket();
            store.createBucket();
            store.put("k", body("v"), ObjectAttributes.NONE, Preconditions.NONE);
            assertEquals(S3ErrorCode.BucketNotEmpty, assertThrows(S3Exception.class, store::deleteBucket).code());
            store.delete("k");
            store.deleteBucket();
            assertEquals(S3ErrorCode.NoSuchBucket, assertThrows(S3Exception.class,
                    () -> store.list(new ListRequest("", null, null, null, 10))).code());
        }
    }

    @Test
    void uploadRecordsAreHiddenFromListingsAndReserved() {
        String container = azurite.createContainer();
        try (ObjectStore store = keyed(container)) {
            String id = store.createMultipartUpload("pending", ObjectAttributes.NONE);
            ListPage flat = store.list(new ListRequest("", null, null, null, 1000));
            assertEquals(List.of(), flat.objects());
            ListPage rolled = store.list(new ListRequest("", "/", null, null, 1));
            assertEquals(List.of(), rolled.objects());
            assertEquals(List.of(), rolled.commonPrefixes());
            assertEquals(S3ErrorCode.InvalidArgument, assertThrows(S3Exception.class, () -> store.put(
                    AzureObjectStore.UPLOADS + "pending/" + id, body("x"), ObjectAttributes.NONE,
                    Preconditions.NONE)).code());
            store.abortMultipartUpload("pending", id);
            assertEquals(S3ErrorCode.NoSuchUpload, assertThrows(S3Exception.class,
                    () -> store.abortMultipartUpload("pending", id)).code());
        }
    }

    @Test
    void batchDeleteIsByteExactForHostileKeys() {
        String container = azurite.createContainer();
        try (ObjectStore store = keyed(container)) {
            List<String> keys = List.of("percent%20%", "plus+and space", "unicode-\u00fc-\u65e5", "q?x#y&z");
            for (String key : keys) {
                store.put(key, body(key), ObjectAttributes.NONE, Preconditions.NONE);
            }
            store.put("percent 20", body("kept"), ObjectAttributes.NONE, Preconditions.NONE);
            assertEquals(Map.of(), store.deleteObjects(keys));
            assertEquals(List.of("percent 20"), store.list(new ListRequest("", null, null, null, 1000)).objects()
                    .stream().map(o -> o.key()).toList());
        }
    }

    @Test
    void partsOfUnknownLengthAreStagedInBuffers() throws Exception {
        String container = azurite.createContainer();
        try (ObjectStore store = keyed(container)) {
            byte[] data = new byte[AzureObjectStore.BUFFER_SIZE * 2 + 12345];
            new java.util.Random(3).nextBytes(data);
            String id = store.createMultipartUpload("unknown", ObjectAttributes.NONE);
            PartInfo part = store.uploadPart("unknown", id, 1, new ObjectBody(new ByteArrayInputStream(data), -1));
            assertEquals(data.length, part.size());
            store.completeMultipartUpload("unknown", id, List.of(new CompletedPart(1, part.etag())));
            try (ObjectContent content = store.get("unknown", null, Preconditions.NONE)) {
                assertArrayEquals(data, content.stream().readAllBytes());
            }
            ObjectMeta put = store.put("unknown-put", new ObjectBody(new ByteArrayInputStream(data), -1),
                    ObjectAttributes.NONE, Preconditions.NONE);
            assertEquals(put.etag(), store.head("unknown-put", Preconditions.NONE).etag());
            assertTrue(put.etag().matches("\"[0-9a-f]{32}\""), put.etag());
        }
    }
}
