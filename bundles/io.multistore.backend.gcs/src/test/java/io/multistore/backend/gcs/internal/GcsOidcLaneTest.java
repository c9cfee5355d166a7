package io.multistore.backend.gcs.internal;

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
import io.multistore.testsupport.BearerGate;
import io.multistore.testsupport.CloudTokenService;
import io.multistore.testsupport.ConfigAnnotations;
import io.multistore.testsupport.FakeGcsServer;
import io.multistore.testsupport.PemKeys;
import io.multistore.testsupport.RouteSite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GCP lane: a bucket with {@code auth_type = "oidc"} is reached with the access token the harness's Google STS
 * exchanges for the gateway's JWT (workload identity federation), optionally traded for a service account's token
 * through IAM Credentials {@code generateAccessToken}. fake-gcs-server ignores authentication, so a
 * {@link BearerGate} in front of it lets through only requests carrying a token the harness issued.
 */
class GcsOidcLaneTest {

    static final String PROVIDER = "projects/123456/locations/global/workloadIdentityPools/pool/providers/gw";
    static final String ACCOUNT = "reader@project.iam.gserviceaccount.com";

    static FakeGcsServer gcs;
    static PooledHttpTransport transport;
    static RouteSite gateway;
    static CloudTokenService google;
    static BearerGate gate;
    static OidcCredentialSource source;
    static GcsBackend backend;

    @BeforeAll
    static void start() {
        gcs = FakeGcsServer.start();
        transport = new PooledHttpTransport(TransportSettings.DEFAULT);
        gateway = RouteSite.start();
        google = CloudTokenService.start(gateway.url()).googleProvider(PROVIDER, "s3-proxy", null)
                .googleProvider(PROVIDER + "-sa", "s3-proxy", ACCOUNT);
        gate = BearerGate.start(gcs.endpoint(), google::issuedBearer, null);
        OidcConfig config = ConfigAnnotations.create(OidcConfig.class, Map.of("provider__key", PemKeys.generate(),
                "issuer", gateway.url()));
        gateway.handler(new DiscoveryRouteHandler(config));
        source = new OidcCredentialSource(config);
        backend = new GsBackend(transport);
        backend.addCredentialSource(source, Map.of(BackendCredentialSource.AUTH_TYPE, "oidc"));
    }

    @AfterAll
    static void stop() {
        source.close();
        gate.close();
        google.close();
        gateway.close();
        transport.close();
        gcs.close();
    }

    static BucketConfig bucket(String name, String provider, String account) {
        Map<String, String> options = new HashMap<>(Map.of("endpoint", gate.url(), "bucket_name", name,
                "auth_type", "oidc", "oidc_workload_identity_provider", provider, "sts_endpoint", google.googleSts(),
                "oidc_iam_endpoint", google.googleIam()));
        if (account != null) {
            options.put("oidc_service_account", account);
        }
        return new BucketConfig("gcs-data", "gs", "", false, List.of(), options);
    }

    static ObjectBody body(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return new ObjectBody(new ByteArrayInputStream(data), data.length);
    }

    static void roundTrip(ObjectStore store) throws IOException {
        for (int i = 0; i < 5; i++) {
            store.put("k" + i, body("value " + i), ObjectAttributes.NONE, Preconditions.NONE);
        }
        try (ObjectContent content = store.get("k4", null, Preconditions.NONE)) {
            assertArrayEquals("value 4".getBytes(StandardCharsets.UTF_8), content.stream().readAllBytes());
        }
        assertEquals(5, store.list(new ListRequest("", null, null, null, 100)).objects().size());
    }

    @Test
    void federatedTokenCarriesPutGetAndListFromOneExchange() throws IOException {
        int before = gate.accepted();
        int exchanges = google.issued("google-sts");
        try (ObjectStore store = backend.open(bucket(gcs.createBucket(), PROVIDER, null))) {
            roundTrip(store);
        }
        assertEquals(exchanges + 1, google.issued("google-sts"));
        assertTrue(gate.accepted() - before >= 7, "every request passed the gate with the issued token");
    }

    @Test
    void impersonatedServiceAccountTokenCarriesTheRequests() throws IOException {
        int iamBefore = google.issued("google-iam");
        try (ObjectStore store = backend.open(bucket(gcs.createBucket(), PROVIDER + "-sa", ACCOUNT))) {
            roundTrip(store);
        }
        assertEquals(iamBefore + 1, google.issued("google-iam"));
        assertEquals(0, gate.refused());
    }

    @Test
    void anUntrustedProviderGetsNoTokenAndTheBucketIs503() {
        try (ObjectStore store = backend.open(bucket(gcs.createBucket(), PROVIDER + "-unknown", null))) {
            S3Exception refused = assertThrows(S3Exception.class, () -> store.head("k", Preconditions.NONE));
            assertEquals(S3ErrorCode.ServiceUnavailable, refused.code());
        }
    }
}
