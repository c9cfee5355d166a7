package io.multistore.backend.azure.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.BackendCredentialSource;
import io.multistore.api.backend.ListRequest;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectBody;
import io.multistore.api.backend.ObjectContent;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.Preconditions;
import io.multistore.auth.oidc.internal.DiscoveryRouteHandler;
import io.multistore.auth.oidc.internal.OidcConfig;
import io.multistore.auth.oidc.internal.OidcCredentialSource;
import io.multistore.lib.dataplane.PooledHttpTransport;
import io.multistore.lib.dataplane.TransportSettings;
import io.multistore.testsupport.AzuriteServer;
import io.multistore.testsupport.BearerGate;
import io.multistore.testsupport.CloudTokenService;
import io.multistore.testsupport.ConfigAnnotations;
import io.multistore.testsupport.PemKeys;
import io.multistore.testsupport.RouteSite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Azure lane: a container with {@code auth_type = "oidc"} is reached with the bearer token the harness's Entra
 * issues for the gateway's client assertion. Azurite checks OAuth tokens only over HTTPS and never verifies their
 * signature or issuer, so a {@link BearerGate} stands in front of it: it lets through only requests carrying a
 * token the harness issued and authorises them to Azurite with an account SAS.
 */
class AzureOidcLaneTest {

    static AzuriteServer azurite;
    static PooledHttpTransport transport;
    static RouteSite gateway;
    static CloudTokenService entra;
    static BearerGate gate;
    static OidcCredentialSource source;
    static AzureBackend backend;

    @BeforeAll
    static void start() {
        azurite = AzuriteServer.start();
        transport = new PooledHttpTransport(TransportSettings.DEFAULT);
        gateway = RouteSite.start();
        entra = CloudTokenService.start(gateway.url()).entraClient("tenant-1", "client-1", "s3-proxy");
        gate = BearerGate.start("http://127.0.0.1:" + azurite.port(), entra::issuedBearer, AzuriteServer.accountSas());
        OidcConfig config = ConfigAnnotations.create(OidcConfig.class, Map.of("provider__key", PemKeys.generate(),
                "issuer", gateway.url()));
        gateway.handler(new DiscoveryRouteHandler(config));
        source = new OidcCredentialSource(config);
        backend = new AzureAliasBackend(transport);
        backend.addCredentialSource(source, Map.of(BackendCredentialSource.AUTH_TYPE, "oidc"));
    }

    @AfterAll
    static void stop() {
        source.close();
        gate.close();
        entra.close();
        gateway.close();
        transport.close();
        azurite.close();
    }

    static BucketConfig bucket(String container) {
        return new BucketConfig("blobs", "azure", "", false, List.of(), Map.of("endpoint", gate.url() + "/"
                + AzuriteServer.ACCOUNT, "account_name", AzuriteServer.ACCOUNT, "container_name", container,
                "auth_type", "oidc", "azure_tenant_id", "tenant-1", "client_id", "client-1", "authority_host",
                entra.entraAuthority()));
    }

    static ObjectBody body(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return new ObjectBody(new ByteArrayInputStream(data), data.length);
    }

    @Test
    void putGetAndListCarryTheEntraBearerTokenFromOneExchange() throws IOException {
        String container = azurite.createContainer();
        int before = gate.accepted();
        try (ObjectStore store = backend.open(bucket(container))) {
            for (int i = 0; i < 5; i++) {
                store.put("k" + i, body("value " + i), ObjectAttributes.NONE, Preconditions.NONE);
            }
            try (ObjectContent content = store.get("k2", null, Preconditions.NONE)) {
                assertArrayEquals("value 2".getBytes(StandardCharsets.UTF_8), content.stream().readAllBytes());
            }
            assertEquals(5, store.list(new ListRequest("", null, null, null, 100)).objects().size());
        }
        assertEquals(1, entra.issued("entra"));
        assertTrue(gate.accepted() - before >= 7, "every request passed the gate with the issued token");
        assertEquals(0, gate.refused());
    }

    @Test
    void theGateRefusesRequestsWithoutAnIssuedToken() throws Exception {
        String container = azurite.createContainer();
        HttpClient http = HttpClient.newHttpClient();
        String url = gate.url() + "/" + AzuriteServer.ACCOUNT + "/" + container + "?restype=container&comp=list";
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer forged")
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        // a client assertion the token service cannot verify yields no token: the bucket answers 503
        BucketConfig stranger = new BucketConfig("blobs", "az", "", false, List.of(), Map.of("endpoint",
                gate.url() + "/" + AzuriteServer.ACCOUNT, "container_name", container, "auth_type", "oidc",
                "tenant_id", "tenant-1", "client_id", "client-1", "oidc_subject", "intruder", "authority_host",
                entra.entraAuthority()));
        try (ObjectStore store = backend.open(stranger)) {
            S3Exception refused = assertThrows(S3Exception.class, () -> store.head("k", Preconditions.NONE));
            assertEquals(S3ErrorCode.ServiceUnavailable, refused.code());
        }
        assertTrue(entra.rejections().stream().anyMatch(r -> r.contains("intruder")), entra.rejections().toString());
    }
}
