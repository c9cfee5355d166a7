package io.multistore.backend.azure.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.lib.dataplane.PooledHttpTransport;
import io.multistore.lib.dataplane.TransportSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureStoreOptionsTest {

    private static BucketConfig bucket(Map<String, String> options) {
        return new BucketConfig("b", "az", "", false, List.of(), options);
    }

    @Test
    void defaultsToTheAccountsPublicEndpoint() {
        AzureStoreOptions o = AzureStoreOptions.from(bucket(Map.of("account_name", "acct", "container_name", "c",
                "access_key", "a2V5")));
        assertEquals(URI.create("https://acct.blob.core.windows.net"), o.endpoint());
        assertEquals("a2V5", o.accessKey());
        assertFalse(o.toString().contains("a2V5"), "the key is never printed");
    }

    @Test
    void objectStoreSpellingsAndEmulatorEndpoints() {
        AzureStoreOptions o = AzureStoreOptions.from(bucket(Map.of(
                "azure_storage_endpoint", "http://127.0.0.1:10000/devstoreaccount1/",
                "azure_container_name", "c", "azure_storage_sas_token", "?sv=1&sig=x")));
        assertEquals("devstoreaccount1", o.accountName());
        assertEquals(URI.create("http://127.0.0.1:10000/devstoreaccount1"), o.endpoint());
        assertEquals("sv=1&sig=x", o.sasToken());
        assertTrue(AzureStoreOptions.OPTION_NAMES.containsAll(List.of("account_name", "container_name", "access_key",
                "sas_token", "endpoint", "skip_signature", "allow_http", "azure_storage_account_key")));
    }

    @Test
    void secretsMayComeFromTheEnvironment() {
        BucketConfig noSecret = bucket(Map.of("account_name", "acct", "container_name", "c"));
        assertEquals("a2V5", AzureStoreOptions.from(noSecret, Map.of("AZURE_STORAGE_ACCOUNT_KEY", "a2V5"))
                .accessKey());
        assertEquals("sv=1", AzureStoreOptions.from(noSecret, Map.of("AZURE_STORAGE_SAS_TOKEN", "?sv=1")).sasToken());
        // the bucket's own options win over the environment
        assertEquals(null, AzureStoreOptions.from(bucket(Map.of("account_name", "acct", "container_name", "c",
                "skip_signature", "true")), Map.of("AZURE_STORAGE_ACCOUNT_KEY", "a2V5")).accessKey());
    }

    @Test
    void invalidOptionsAreTheOperatorsFaultAndNeverReachTheClient() {
        try (PooledHttpTransport transport = new PooledHttpTransport(TransportSettings.DEFAULT)) {
            AzureBackend backend = new AzureBackend(transport);
            for (Map<String, String> options : List.of(
                    Map.of("account_name", "acct", "access_key", "a2V5"),
                    Map.of("container_name", "c", "access_key", "a2V5"),
                    Map.of("account_name", "acct", "container_name", "c"),
                    Map.of("account_name", "acct", "container_name", "c", "access_key", "not base64!"),
                    Map.of("account_name", "acct", "container_name", "c", "skip_signature", "true",
                            "endpoint", "ftp://host"))) {
                S3Exception e = assertThrows(S3Exception.class, () -> backend.open(bucket(options)));
                assertEquals(S3ErrorCode.ServiceUnavailable, e.code());
                assertEquals(S3ErrorCode.ServiceUnavailable.defaultMessage(), e.clientMessage());
                assertTrue(e.detail().contains("bucket b"), e.detail());
            }
        }
    }
}
