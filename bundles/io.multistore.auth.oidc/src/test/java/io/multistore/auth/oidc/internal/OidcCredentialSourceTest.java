package io.multistore.auth.oidc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.AwsSessionCredential;
import io.multistore.api.auth.BackendCredential;
import io.multistore.api.auth.BearerToken;
import io.multistore.testsupport.CloudTokenService;
import io.multistore.testsupport.RouteSite;
import io.multistore.testsupport.OidcIssuer;
import io.multistore.testsupport.PemKeys;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The credential source against the harness's token service, which verifies every JWT as the clouds do (discovery
 * and JWKS fetched over HTTP from where this provider publishes them).
 */
class OidcCredentialSourceTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/multistore-backend";
    static final String PROVIDER = "projects/123456/locations/global/workloadIdentityPools/pool/providers/multistore";

    RouteSite site;
    CloudTokenService clouds;
    String key;
    OidcConfig config;
    OidcCredentialSource source;

    @BeforeEach
    void start() {
        site = RouteSite.start();
        clouds = CloudTokenService.start(site.url())
                .awsRole(ROLE, "s3-proxy", "AKIDISSUED", "issued-secret")
                .entraClient("tenant-1", "client-1", "s3-proxy")
                .googleProvider(PROVIDER, "s3-proxy", null)
                .googleProvider(PROVIDER + "-sa", "s3-proxy", "reader@p.iam.gserviceaccount.com");
        key = PemKeys.generate();
        config = Provider.config(key, "", site.url(), Map.of());
        Provider.publish(site, config);
        source = Provider.source(config);
    }

    @AfterEach
    void stop() {
        source.close();
        clouds.close();
        site.close();
    }

    BucketConfig s3(String name, Map<String, String> more) {
        Map<String, String> options = new java.util.HashMap<>(Map.of("bucket_name", "b", "auth_type", "oidc",
                "oidc_role_arn", ROLE, "sts_endpoint", clouds.awsEndpoint()));
        options.putAll(more);
        return new BucketConfig(name, "s3", "", false, List.of(), options);
    }

    @Test
    void awsLaneAssumesTheRoleWithAVerifiedJwt() {
        BackendCredential c = source.credential(s3("data", Map.of()));
        AwsSessionCredential aws = assertInstanceOf(AwsSessionCredential.class, c);
        assertEquals("AKIDISSUED", aws.accessKeyId());
        assertEquals("issued-secret", aws.secretAccessKey());
        assertTrue(aws.sessionToken().startsWith("session-"));
        assertTrue(aws.expiresAt().isAfter(Instant.now().plusSeconds(3000)));
        assertEquals(1, clouds.issued("aws"));
        assertEquals(List.of(ProviderKeys.parse(key, "").signing().getKeyID()), clouds.verifiedKids());
        assertEquals(2, site.served(), "the token service fetched the discovery document and the JWKS");
        assertTrue(!aws.toString().contains("issued-secret"), "toString must not show the secret");
    }

    @Test
    void nRequestsMakeOneExchange() {
        BucketConfig bucket = s3("data", Map.of());
        BackendCredential first = source.credential(bucket);
        for (int i = 0; i < 50; i++) {
            assertSame(first, source.credential(bucket));
        }
        // a second bucket on the same role and subject shares the credential
        assertSame(first, source.credential(s3("other", Map.of())));
        assertEquals(1, clouds.issued("aws"));
        // another subject is another identity: its own exchange (and the trust policy refuses it)
        S3Exception refused = assertThrows(S3Exception.class, () -> source.credential(s3("x",
                Map.of("oidc_subject", "someone-else"))));
        assertEquals(S3ErrorCode.ServiceUnavailable, refused.code());
        assertTrue(clouds.rejections().get(0).contains("subject someone-else"), clouds.rejections().toString());
    }

    @Test
    void concurrentFirstRequestsMakeOneExchange() throws Exception {
        BucketConfig bucket = s3("data", Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<BackendCredential>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return source.credential(bucket);
            }));
        }
        go.countDown();
        BackendCredential first = results.get(0).get();
        for (Future<BackendCredential> f : results) {
            assertSame(first, f.get());
        }
        pool.shutdown();
        assertEquals(1, clouds.issued("aws"));
    }

    @Test
    void renewsBeforeExpiryAndAFailedRenewalKeepsServingTheValidCredential() throws Exception {
        source.close();
        source = Provider.source(Provider.config(key, "", site.url(), Map.of("refresh__lead__secs", 61L)));
        clouds.credentialLifetime(Duration.ofSeconds(62)); // due for renewal one second after issue
        BucketConfig bucket = s3("data", Map.of());
        BackendCredential first = source.credential(bucket);
        assertSame(first, source.credential(bucket));
        Thread.sleep(1200);
        clouds.available(false);
        // renewal fails: the still-valid credential is served, not an error
        assertSame(first, source.credential(bucket));
        assertEquals(1, clouds.issued("aws"));
        clouds.available(true);
        Thread.sleep(CredentialCache.FAILURE_BACKOFF.toMillis() + 100);
        BackendCredential renewed = source.credential(bucket);
        assertNotEquals(((AwsSessionCredential) first).sessionToken(), ((AwsSessionCredential) renewed).sessionToken());
        assertEquals(2, clouds.issued("aws"));
    }

    @Test
    void tokenServiceDownIs503ThenRecovers() throws Exception {
        clouds.available(false);
        BucketConfig bucket = s3("data", Map.of());
        S3Exception down = assertThrows(S3Exception.class, () -> source.credential(bucket));
        assertEquals(S3ErrorCode.ServiceUnavailable, down.code());
        assertTrue(down.getMessage().contains(ROLE), down.getMessage());
        clouds.available(true);
        Thread.sleep(CredentialCache.FAILURE_BACKOFF.toMillis() + 100);
        assertInstanceOf(AwsSessionCredential.class, source.credential(bucket));
    }

    @Test
    void keyRotationKeepsTheOldKidVerifiableAndSignsWithTheNewKey() {
        String oldKid = ProviderKeys.parse(key, "").signing().getKeyID();
        OidcCredentialSource before = source;
        String newKey = PemKeys.generate();
        OidcConfig rotated = Provider.config(newKey, key, site.url(), Map.of());
        Discovery published = Provider.publish(site, rotated);
        String jwks = new String(published.document(published.jwksPath()), StandardCharsets.UTF_8);
        String newKid = ProviderKeys.parse(newKey, "").signing().getKeyID();
        assertTrue(jwks.contains(oldKid) && jwks.contains(newKid), jwks);
        assertTrue(jwks.indexOf(newKid) < jwks.indexOf(oldKid), "the signing key comes first");
        assertTrue(!jwks.contains("\"d\""), "no private parts in the JWKS");
        // a token signed with the old key (an instance not yet restarted) still verifies
        before.credential(s3("old-instance", Map.of()));
        source = Provider.source(rotated);
        source.credential(s3("new-instance", Map.of("oidc_audience", "sts.amazonaws.com", "region", "eu-west-1")));
        assertEquals(List.of(oldKid, newKid), clouds.verifiedKids());
        before.close();
        // the old key retired: tokens it signs are refused
        Provider.publish(site, Provider.config(newKey, "", site.url(), Map.of()));
        OidcCredentialSource stale = Provider.source(config);
        assertThrows(S3Exception.class, () -> stale.credential(s3("stale", Map.of("region", "eu-north-1"))));
        stale.close();
        assertTrue(clouds.rejections().get(clouds.rejections().size() - 1).contains("no key with kid " + oldKid),
                clouds.rejections().toString());
    }

    @Test
    void expiredForgedOrMisaddressedJwtsAreRejectedByTheTokenService() throws Exception {
        RSAKey signing = ProviderKeys.parse(key, "").signing();
        Instant now = Instant.now();
        JWTClaimsSet valid = new JWTClaimsSet.Builder().issuer(site.url()).subject("s3-proxy")
                .audience("sts.amazonaws.com").issueTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plusSeconds(300))).build();
        assertEquals(200, assume(OidcIssuer.sign(valid, signing, signing.getKeyID())));
        RSAKey forger = new RSAKeyGenerator(2048).generate();
        assertEquals(400, assume(OidcIssuer.sign(valid, forger, signing.getKeyID())));
        assertTrue(clouds.rejections().get(0).contains("signature does not verify"), clouds.rejections().toString());
        JWTClaimsSet expired = new JWTClaimsSet.Builder(valid)
                .expirationTime(java.util.Date.from(now.minusSeconds(1))).build();
        assertEquals(400, assume(OidcIssuer.sign(expired, signing, signing.getKeyID())));
        assertTrue(clouds.rejections().get(1).contains("expired"), clouds.rejections().toString());
        JWTClaimsSet wrongAudience = new JWTClaimsSet.Builder(valid).audience("api://AzureADTokenExchange").build();
        assertEquals(400, assume(OidcIssuer.sign(wrongAudience, signing, signing.getKeyID())));
        JWTClaimsSet foreignIssuer = new JWTClaimsSet.Builder(valid).issuer("http://127.0.0.1:1").build();
        assertEquals(400, assume(OidcIssuer.sign(foreignIssuer, signing, signing.getKeyID())));
        assertEquals(4, clouds.rejections().size(), clouds.rejections().toString());

        // and the gateway's own minting, with a clock ten minutes slow, produces a JWT the service refuses
        OidcCredentialSource slow = new OidcCredentialSource(config,
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        S3Exception refused = assertThrows(S3Exception.class, () -> slow.credential(s3("slow", Map.of())));
        assertTrue(refused.getMessage().contains("InvalidIdentityToken"), refused.getMessage());
        slow.close();
        assertEquals(1, clouds.issued("aws"));
    }

    private int assume(String jwt) throws Exception {
        String form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=test&RoleArn="
                + URLEncoder.encode(ROLE, StandardCharsets.UTF_8) + "&WebIdentityToken=" + jwt;
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(clouds.awsEndpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void entraLaneGetsABearerTokenForBlobStorage() {
        BucketConfig bucket = new BucketConfig("blobs", "azure", "", false, List.of(), Map.of("auth_type", "oidc",
                "account_name", "acct", "container_name", "c", "azure_tenant_id", "tenant-1", "client_id",
                "client-1", "authority_host", clouds.entraAuthority()));
        BearerToken token = assertInstanceOf(BearerToken.class, source.credential(bucket));
        assertTrue(clouds.issuedBearer(token.token()));
        assertSame(token, source.credential(bucket));
        assertEquals(1, clouds.issued("entra"));
    }

    @Test
    void googleLaneExchangesAndOptionallyImpersonates() {
        BucketConfig direct = new BucketConfig("g1", "gcs", "", false, List.of(), Map.of("auth_type", "oidc",
                "bucket_name", "b", "oidc_workload_identity_provider", "//iam.googleapis.com/" + PROVIDER,
                "sts_endpoint", clouds.googleSts()));
        BearerToken federated = assertInstanceOf(BearerToken.class, source.credential(direct));
        assertTrue(clouds.issuedBearer(federated.token()));
        BucketConfig impersonating = new BucketConfig("g2", "gs", "", false, List.of(), Map.of("auth_type", "oidc",
                "bucket_name", "b", "oidc_workload_identity_provider", PROVIDER + "-sa", "sts_endpoint",
                clouds.googleSts(), "oidc_service_account", "reader@p.iam.gserviceaccount.com", "oidc_iam_endpoint",
                clouds.googleIam()));
        BearerToken impersonated = assertInstanceOf(BearerToken.class, source.credential(impersonating));
        assertTrue(impersonated.token().startsWith("google-"), impersonated.toString());
        assertTrue(clouds.issuedBearer(impersonated.token()));
        assertEquals(2, clouds.issued("google-sts"));
        assertEquals(1, clouds.issued("google-iam"));
        assertTrue(impersonated.expiresAt().isAfter(Instant.now().atOffset(ZoneOffset.UTC).toInstant()));
    }

    @Test
    void withoutKeyOrIssuerEveryOidcBucketIs503NamingWhatIsMissing() {
        OidcCredentialSource bare = Provider.source(Provider.config("", "", "", Map.of()));
        S3Exception e = assertThrows(S3Exception.class, () -> bare.credential(s3("data", Map.of())));
        assertEquals(S3ErrorCode.ServiceUnavailable, e.code());
        assertTrue(e.clientMessage().contains("OIDC_PROVIDER_KEY"), e.clientMessage());
        bare.close();
        S3Exception noRole = assertThrows(S3Exception.class, () -> source.credential(new BucketConfig("r", "s3", "",
                false, List.of(), Map.of("auth_type", "oidc", "bucket_name", "b"))));
        assertTrue(noRole.getMessage().contains("oidc_role_arn"), noRole.getMessage());
    }
}
