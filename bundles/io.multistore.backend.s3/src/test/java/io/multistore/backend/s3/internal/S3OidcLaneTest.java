package io.multistore.backend.s3.internal;

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
import io.multistore.testsupport.CloudTokenService;
import io.multistore.testsupport.ConfigAnnotations;
import io.multistore.testsupport.PemKeys;
import io.multistore.testsupport.RouteSite;
import io.multistore.testsupport.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AWS lane: an S3 bucket with {@code auth_type = "oidc"} signs with what the harness's STS issues after it has
 * verified the gateway's JWT. S3Proxy is configured with exactly the issued key pair, so a request signed with
 * anything else is refused; S3Proxy ignores the session token (real S3 would check it against the key pair).
 */
class S3OidcLaneTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/multistore-backend";
    static final String ISSUED_KEY = "ASIAFEDERATED";
    static final String ISSUED_SECRET = "federated-secret-from-sts";

    static S3ProxyServer s3proxy;
    static PooledHttpTransport transport;
    RouteSite gateway;
    CloudTokenService sts;
    OidcCredentialSource source;
    S3Backend backend;
    String bucketName;

    @BeforeAll
    static void startS3Proxy() {
        s3proxy = S3ProxyServer.builder().identity(ISSUED_KEY).credential(ISSUED_SECRET).start();
        transport = new PooledHttpTransport(TransportSettings.DEFAULT);
    }

    @AfterAll
    static void stopS3Proxy() {
        transport.close();
        s3proxy.close();
    }

    @BeforeEach
    void start() {
        gateway = RouteSite.start();
        sts = CloudTokenService.start(gateway.url()).awsRole(ROLE, "s3-proxy", ISSUED_KEY, ISSUED_SECRET);
        OidcConfig config = ConfigAnnotations.create(OidcConfig.class, Map.of("provider__key", PemKeys.generate(),
                "issuer", gateway.url()));
        gateway.handler(new DiscoveryRouteHandler(config));
        source = new OidcCredentialSource(config);
        backend = new S3Backend(transport);
        backend.addCredentialSource(source, Map.of(BackendCredentialSource.AUTH_TYPE, "oidc"));
        bucketName = s3proxy.createBucket();
    }

    @AfterEach
    void stop() {
        source.close();
        sts.close();
        gateway.close();
    }

    BucketConfig bucket() {
        return new BucketConfig("federated", "s3", "", false, List.of(), Map.of("endpoint", s3proxy.endpoint(),
                "bucket_name", bucketName, "auth_type", "oidc", "oidc_role_arn", ROLE, "sts_endpoint",
                sts.awsEndpoint()));
    }

    static ObjectBody body(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return new ObjectBody(new ByteArrayInputStream(data), data.length);
    }

    @Test
    void putGetAndListSignWithTheExchangedCredentialsFromOneExchange() throws IOException {
        try (ObjectStore store = backend.open(bucket())) {
            for (int i = 0; i < 10; i++) {
                store.put("k" + i, body("value " + i), ObjectAttributes.NONE, Preconditions.NONE);
            }
            try (ObjectContent content = store.get("k3", null, Preconditions.NONE)) {
                assertArrayEquals("value 3".getBytes(StandardCharsets.UTF_8), content.stream().readAllBytes());
            }
            assertEquals(10, store.list(new ListRequest("", null, null, null, 1000)).objects().size());
        }
        assertEquals(1, sts.issued("aws"), "22 requests on both planes, one exchange");
    }

    @Test
    void stsDownIs503ThenTheBucketRecovers() throws Exception {
        sts.available(false);
        try (ObjectStore store = backend.open(bucket())) {
            S3Exception down = assertThrows(S3Exception.class,
                    () -> store.put("k", body("v"), ObjectAttributes.NONE, Preconditions.NONE));
            assertEquals(S3ErrorCode.ServiceUnavailable, down.code());
            S3Exception listDown = assertThrows(S3Exception.class,
                    () -> store.list(new ListRequest("", null, null, null, 10)));
            assertEquals(S3ErrorCode.ServiceUnavailable, listDown.code());
            sts.available(true);
            Thread.sleep(1100);
            store.put("k", body("v"), ObjectAttributes.NONE, Preconditions.NONE);
            assertEquals(1, store.head("k", Preconditions.NONE).size());
        }
    }

    @Test
    void withoutTheOidcModuleTheBucketIs503NamingItAndNeverUsesOtherCredentials() {
        S3Backend bare = new S3Backend(transport);
        try (ObjectStore store = bare.open(bucket())) {
            S3Exception missing = assertThrows(S3Exception.class, () -> store.head("k", Preconditions.NONE));
            assertEquals(S3ErrorCode.ServiceUnavailable, missing.code());
            assertTrue(missing.clientMessage().contains("io.multistore.auth.oidc"), missing.clientMessage());
            // once a source is bound (a hot-deployed bundle), the same store works
            bare.addCredentialSource(source, Map.of(BackendCredentialSource.AUTH_TYPE, "oidc"));
            store.put("k", body("v"), ObjectAttributes.NONE, Preconditions.NONE);
            bare.removeCredentialSource(source, Map.of(BackendCredentialSource.AUTH_TYPE, "oidc"));
            assertThrows(S3Exception.class, () -> store.head("k", Preconditions.NONE));
        }
    }
}
