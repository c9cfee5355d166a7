package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.multistore.testsupport.OidcIssuer;
import io.multistore.testsupport.S3ProxyServer;
import io.multistore.testsupport.TestTls;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * STS end to end: a real HTTPS OIDC issuer (self-signed certificate the server JVM trusts through
 * {@code JAVA_OPTS}), the distribution with {@code SESSION_TOKEN_KEY}, the AWS SDK's {@code StsClient} and its
 * web-identity credentials provider, aws-cli, and S3 operations with the minted credentials against S3Proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StsE2ETest {

    static final String ROLE = "arn:aws:iam::123456789012:role/e2e-ci";
    static final String AUDIENCE = "sts.amazonaws.com";
    static final String KEY_1 = key();
    static final String KEY_2 = key();

    Path temp;
    S3ProxyServer s3proxy;
    TestTls tls;
    OidcIssuer issuer;
    OidcIssuer plainIssuer;
    Path config;
    MultistoreServer server;
    StsClient sts;

    static String key() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @BeforeAll
    void start() throws Exception {
        temp = Files.createTempDirectory("sts-e2e");
        s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("backend");
        tls = TestTls.create(temp.resolve("tls"));
        issuer = OidcIssuer.https(tls.serverContext());
        plainIssuer = OidcIssuer.http();
        config = temp.resolve("config.toml");
        Files.writeString(config, config());
        server = startServer("first", Map.of("SESSION_TOKEN_KEY", KEY_1));
        sts = stsClient(server.endpoint());
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sts, server, issuer, plainIssuer, s3proxy}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    String config() {
        String actions = "[\"get_object\", \"head_object\", \"put_object\", \"list_bucket\"]";
        return E2E.config(s3proxy) + """

                [[buckets]]
                name = "restricted"
                backend_type = "s3"
                backend_prefix = "restricted/"
                anonymous_access = false
                allowed_roles = ["some-other-role"]
                [buckets.backend_options]
                endpoint = "%1$s"
                region = "us-east-1"
                bucket_name = "backend"
                access_key_id = "%2$s"
                secret_access_key = "%3$s"

                [[roles]]
                role_id = "%4$s"
                name = "e2e CI"
                trusted_oidc_issuers = ["%5$s", "%6$s"]
                required_audiences = ["%7$s"]
                subject_conditions = ["repo:acme/*"]
                max_session_duration_secs = 7200
                [[roles.allowed_scopes]]
                bucket = "data"
                prefixes = ["{repository_owner}/"]
                actions = %8$s
                [[roles.allowed_scopes]]
                bucket = "restricted"
                prefixes = []
                actions = %8$s
                """.formatted(s3proxy.endpoint(), s3proxy.identity(), s3proxy.credential(), ROLE, issuer.url(),
                plainIssuer.url(), AUDIENCE, actions);
    }

    MultistoreServer startServer(String name, Map<String, String> keys) throws Exception {
        return startServer(name, keys, p -> true, true);
    }

    MultistoreServer startServer(String name, Map<String, String> keys, java.util.function.Predicate<Path> include,
            boolean awaitSts) throws Exception {
        Path home = MultistoreServer.copyDistribution(temp.resolve("server-" + name), include);
        // unknown kids may refresh the JWKS every second here (key rotation below)
        Files.writeString(home.resolve("deploy/io.multistore.auth.sts.cfg"), "jwks_min_refresh_secs=1\n");
        Map<String, String> env = new LinkedHashMap<>(keys);
        env.put("JAVA_OPTS", "-Djavax.net.ssl.trustStore=" + tls.trustStore() + " -Djavax.net.ssl.trustStorePassword="
                + TestTls.PASSWORD + " -Djavax.net.ssl.trustStoreType=PKCS12");
        MultistoreServer started = MultistoreServer.start(home, config, List.of(), env);
        try (S3Client client = Clients.pathStyle(started.endpoint(), E2E.KEY, E2E.SECRET)) {
            E2E.awaitReady(client, started, "data");
        }
        if (awaitSts) {
            awaitSts(started);
        }
        return started;
    }

    /** The STS component starts after the port opens; its answer for an unknown role proves it is wired. */
    static void awaitSts(MultistoreServer server) {
        try (StsClient client = stsClient(server.endpoint())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    client.assumeRoleWithWebIdentity(r -> r.roleArn("arn:aws:iam::000000000000:role/none")
                            .roleSessionName("probe").webIdentityToken("x.y.z"));
                } catch (StsException e) {
                    if ("MalformedPolicyDocument".equals(e.awsErrorDetails().errorCode())) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("STS not ready:\n" + server.log(), e);
                    }
                }
                MultistoreServer.sleep(200);
            }
        }
    }

    static StsClient stsClient(URI endpoint) {
        return StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(ApacheHttpClient.builder()
                        .dnsResolver(host -> new InetAddress[] {InetAddress.getLoopbackAddress()}).build())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    static S3Client s3(URI endpoint, AwsCredentialsProvider credentials) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .forcePathStyle(true).httpClient(ApacheHttpClient.builder().build())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
    }

    static S3Client s3(URI endpoint, Credentials c) {
        return s3(endpoint, StaticCredentialsProvider.create(
                AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())));
    }

    String jwt(Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> edit) {
        return issuer.sign(edit.apply(issuer.claims("repo:acme/app:ref:refs/heads/main", AUDIENCE)
                .claim("repository_owner", "acme")).build());
    }

    AssumeRoleWithWebIdentityResponse assume(String token) {
        return sts.assumeRoleWithWebIdentity(r -> r.roleArn(ROLE).roleSessionName("e2e").webIdentityToken(token));
    }

    @Test
    void stsClientMintsScopedCredentialsThatWorkOnS3() {
        Instant before = Instant.now();
        AssumeRoleWithWebIdentityResponse response = sts.assumeRoleWithWebIdentity(r -> r.roleArn(ROLE)
                .roleSessionName("e2e").webIdentityToken(jwt(b -> b)).durationSeconds(1800));
        Credentials c = response.credentials();
        assertTrue(c.accessKeyId().startsWith("STSPRXY"), c.accessKeyId());
        assertEquals("repo:acme/app:ref:refs/heads/main", response.subjectFromWebIdentityToken());
        assertEquals(ROLE, response.assumedRoleUser().arn());
        long seconds = Duration.between(before, c.expiration()).getSeconds();
        assertTrue(seconds > 1790 && seconds <= 1801, "expiration " + c.expiration());
        assertFalse(server.log().contains(c.sessionToken()), "the session token is never logged");
        assertFalse(server.log().contains(c.secretAccessKey()), "the secret is never logged");

        try (S3Client client = s3(server.endpoint(), c)) {
            client.putObject(b -> b.bucket("data").key("acme/build/1.txt"), RequestBody.fromString("built"));
            assertEquals("built", client.getObjectAsBytes(b -> b.bucket("data").key("acme/build/1.txt"))
                    .asUtf8String());
            assertEquals(1, client.listObjectsV2(b -> b.bucket("data").prefix("acme/build/")).keyCount());
            // a presigned URL carries the session token as X-Amz-Security-Token
            try (software.amazon.awssdk.services.s3.presigner.S3Presigner presigner =
                    software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
                            .endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                            .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                                    .pathStyleAccessEnabled(true).build())
                            .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                                    c.accessKeyId(), c.secretAccessKey(), c.sessionToken()))).build()) {
                URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                        .getObjectRequest(g -> g.bucket("data").key("acme/build/1.txt"))).url().toURI();
                assertTrue(url.getRawQuery().contains("X-Amz-Security-Token="), url.toString());
                var got = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(url)
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, got.statusCode(), got.body());
                assertEquals("built", got.body());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            // the minted scopes, exceeded: another prefix, another bucket, another action
            assertStatus(403, "AccessDenied", () -> client.putObject(b -> b.bucket("data").key("other/x.txt"),
                    RequestBody.fromString("x")));
            assertStatus(403, "AccessDenied", () -> client.getObject(b -> b.bucket("hidden").key("x.txt")));
            assertStatus(403, "AccessDenied", () -> client.deleteObject(b -> b.bucket("data")
                    .key("acme/build/1.txt")));
            // a bucket whose allowed_roles does not name the role, although the role's scopes cover it
            assertStatus(403, "AccessDenied", () -> client.putObject(b -> b.bucket("restricted").key("x.txt"),
                    RequestBody.fromString("x")));
        }
        // duration clamped to [900, max_session_duration_secs]
        Credentials shortest = sts.assumeRoleWithWebIdentity(r -> r.roleArn(ROLE).roleSessionName("e2e")
                .webIdentityToken(jwt(b -> b)).durationSeconds(60)).credentials();
        long s = Duration.between(Instant.now(), shortest.expiration()).getSeconds();
        assertTrue(s > 880 && s <= 900, "clamped up to 900 s: " + s);
        Credentials longest = sts.assumeRoleWithWebIdentity(r -> r.roleArn(ROLE).roleSessionName("e2e")
                .webIdentityToken(jwt(b -> b)).durationSeconds(43200)).credentials();
        long l = Duration.between(Instant.now(), longest.expiration()).getSeconds();
        assertTrue(l > 7180 && l <= 7200, "clamped down to max_session_duration_secs: " + l);
    }

    @Test
    void theSdksWebIdentityCredentialsProviderRefreshesFromATokenFile() throws Exception {
        Path tokenFile = temp.resolve("web-identity-token");
        Files.writeString(tokenFile, jwt(b -> b));
        try (StsWebIdentityTokenFileCredentialsProvider provider = StsWebIdentityTokenFileCredentialsProvider
                .builder().stsClient(sts).roleArn(ROLE).roleSessionName("provider")
                .webIdentityTokenFile(tokenFile).build();
                S3Client client = s3(server.endpoint(), provider)) {
            client.putObject(b -> b.bucket("data").key("acme/provider.txt"), RequestBody.fromString("p"));
            assertEquals("p", client.getObjectAsBytes(b -> b.bucket("data").key("acme/provider.txt"))
                    .asUtf8String());
            assertTrue(provider.resolveCredentials().accessKeyId().startsWith("STSPRXY"));
        }
    }

    String refusal(String token) {
        StsException e = assertThrows(StsException.class, () -> assume(token));
        assertEquals(400, e.statusCode(), e::toString);
        return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    @Test
    void everyBadTokenGetsItsStsError() throws Exception {
        Instant now = Instant.now();
        assertEquals("InvalidIdentityToken: token has expired",
                refusal(jwt(b -> b.expirationTime(Date.from(now.minusSeconds(300))))));
        assertTrue(refusal(jwt(b -> b.audience("someone-else")))
                .startsWith("InvalidIdentityToken: audience mismatch"));
        assertEquals("InvalidIdentityToken: untrusted issuer: https://token.example",
                refusal(jwt(b -> b.issuer("https://token.example"))));
        JWTClaimsSet claims = issuer.claims("repo:acme/app", AUDIENCE).build();
        assertEquals("InvalidIdentityToken: JWT signature verification failed", refusal(OidcIssuer.sign(claims,
                new RSAKeyGenerator(2048).generate(), issuer.currentKid())));
        assertEquals("InvalidIdentityToken: key 'unknown-kid' not found in JWKS", refusal(OidcIssuer.sign(claims,
                issuer.signingKey(), "unknown-kid")));
        assertEquals("InvalidIdentityToken: malformed JWT", refusal(new PlainJWT(new PlainHeader(), claims)
                .serialize()));
        assertEquals("InvalidIdentityToken: subject 'repo:evil/app' does not match any conditions",
                refusal(jwt(b -> b.subject("repo:evil/app"))));
        // a trusted issuer on plain HTTP: refused, HTTPS only by default
        assertTrue(refusal(plainIssuer.sign(plainIssuer.claims("repo:acme/app", AUDIENCE).build()))
                .contains("must use HTTPS"));
        assertEquals(JWSAlgorithm.RS256, issuer.signingKey().getAlgorithm());

        StsException unknownRole = assertThrows(StsException.class, () -> sts.assumeRoleWithWebIdentity(r -> r
                .roleArn("arn:aws:iam::123456789012:role/nope").roleSessionName("e2e").webIdentityToken(jwt(b -> b))));
        assertEquals("MalformedPolicyDocument", unknownRole.awsErrorDetails().errorCode());
        assertEquals(400, unknownRole.statusCode());
    }

    @Test
    void queryStringCallsOnAnyPathAndMissingParameters() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String query = "Action=AssumeRoleWithWebIdentity&RoleArn=" + ROLE.replace(":", "%3A").replace("/", "%2F")
                + "&WebIdentityToken=" + jwt(b -> b);
        var ok = http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.endpoint() + "/.sts?" + query))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("<AssumeRoleWithWebIdentityResponse"), ok.body());
        var missing = http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.endpoint()
                + "/?Action=AssumeRoleWithWebIdentity&RoleArn=x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("<Code>InvalidParameterValue</Code><Message>missing WebIdentityToken"),
                missing.body());
        // a form POST that is not an STS call reaches the S3 path untouched
        var notSts = http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(notSts.body().contains("<Error><Code>"), notSts.body());
        assertFalse(notSts.body().contains("ErrorResponse"), notSts.body());
    }

    /** A session token as the STS seals it (and as the Rust multistore does), for tokens the STS would not mint. */
    static String seal(String base64Key, String accessKeyId, String secret, Instant expiration) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_key_id", accessKeyId);
        json.put("secret_access_key", secret);
        json.put("session_token", "");
        json.put("expiration", expiration.toString());
        json.put("allowed_scopes", List.of(Map.of("bucket", "data", "prefixes", List.of(),
                "actions", List.of("get_object", "list_bucket"))));
        json.put("assumed_role_id", ROLE);
        json.put("source_identity", "forged");
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
    }

    static S3Client s3(URI endpoint, String accessKeyId, String secret, String token) {
        return s3(endpoint, StaticCredentialsProvider.create(AwsSessionCredentials.create(accessKeyId, secret,
                token)));
    }

    @Test
    void badSessionTokensAreRefused() throws Exception {
        Credentials c = assume(jwt(b -> b)).credentials();
        // tampered: one character of the sealed blob changed
        char[] chars = c.sessionToken().toCharArray();
        chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
        try (S3Client client = s3(server.endpoint(), c.accessKeyId(), c.secretAccessKey(), new String(chars))) {
            assertStatus(403, "AccessDenied", () -> client.listObjectsV2(b -> b.bucket("data").prefix("acme/")));
        }
        // a valid token with another access key id
        try (S3Client client = s3(server.endpoint(), "STSPRXYsomeoneelse00", c.secretAccessKey(), c.sessionToken())) {
            assertStatus(403, "AccessDenied", () -> client.listObjectsV2(b -> b.bucket("data").prefix("acme/")));
        }
        // sealed with the server's key but expired
        String expired = seal(KEY_1, "STSPRXYexpired000000", "s3cr3t", Instant.now().minusSeconds(5));
        try (S3Client client = s3(server.endpoint(), "STSPRXYexpired000000", "s3cr3t", expired)) {
            assertStatus(403, "ExpiredToken", () -> client.listObjectsV2(b -> b.bucket("data")));
        }
        // sealed with a foreign key
        String foreign = seal(key(), "STSPRXYforeign000000", "s3cr3t", Instant.now().plusSeconds(600));
        try (S3Client client = s3(server.endpoint(), "STSPRXYforeign000000", "s3cr3t", foreign)) {
            assertStatus(403, "AccessDenied", () -> client.listObjectsV2(b -> b.bucket("data")));
        }
        // a token sealed with the server's key in multistore's format opens (interoperable tokens)
        String compatible = seal(KEY_1, "STSPRXYcompatible000", "s3cr3t", Instant.now().plusSeconds(600));
        try (S3Client client = s3(server.endpoint(), "STSPRXYcompatible000", "s3cr3t", compatible)) {
            client.listObjectsV2(b -> b.bucket("data"));
        }
    }

    @Test
    void identityProviderKeyRotation() throws Exception {
        assume(jwt(b -> b));
        String oldKid = issuer.currentKid();
        String newKid = issuer.rotate();
        MultistoreServer.sleep(1100); // past jwks_min_refresh_secs
        // the new kid is unknown to the cached JWKS: refreshed once, then accepted
        assertTrue(assume(jwt(b -> b)).credentials().accessKeyId().startsWith("STSPRXY"));
        // the old key, still published, still verifies
        JWTClaimsSet claims = issuer.claims("repo:acme/app", AUDIENCE).claim("repository_owner", "acme").build();
        assertTrue(newKid != null && !newKid.equals(oldKid));
        assertTrue(assume(issuer.sign(claims)).credentials().accessKeyId().startsWith("STSPRXY"));
    }

    @Test
    void awsCliAssumesTheRoleThenUsesTheCredentials() throws Exception {
        AwsCli.requireInstalled();
        AwsCli cli = new AwsCli(server.endpoint(), temp);
        AwsCli.Result assumed = cli.call(Map.of(), "sts", "assume-role-with-web-identity", "--role-arn", ROLE,
                "--role-session-name", "cli", "--web-identity-token", jwt(b -> b), "--output", "json");
        assertEquals(0, assumed.exitCode(), assumed.output());
        Map<String, Object> credentials = JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(assumed.output()),
                "Credentials");
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", (String) credentials.get("AccessKeyId"),
                "AWS_SECRET_ACCESS_KEY", (String) credentials.get("SecretAccessKey"),
                "AWS_SESSION_TOKEN", (String) credentials.get("SessionToken"));
        Path file = temp.resolve("cli-upload.txt");
        Files.writeString(file, "from aws-cli");
        AwsCli.Result put = cli.call(env, "s3", "cp", file.toString(), "s3://data/acme/cli.txt");
        assertEquals(0, put.exitCode(), put.output());
        AwsCli.Result list = cli.call(env, "s3", "ls", "s3://data/acme/");
        assertEquals(0, list.exitCode(), list.output());
        assertTrue(list.output().contains("cli.txt"), list.output());
        AwsCli.Result denied = cli.call(env, "s3", "cp", file.toString(), "s3://data/other/cli.txt");
        assertTrue(denied.exitCode() != 0 && denied.output().contains("AccessDenied"), denied.output());
        AwsCli.Result badToken = cli.call(Map.of(), "sts", "assume-role-with-web-identity", "--role-arn", ROLE,
                "--role-session-name", "cli", "--web-identity-token", jwt(b -> b.subject("repo:evil/x")));
        assertTrue(badToken.exitCode() != 0 && badToken.output().contains("InvalidIdentityToken"),
                badToken.output());
    }

    /** boto3's own web-identity flow: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, STS reached via AWS_ENDPOINT_URL_STS. */
    static final String BOTO3_SCRIPT = """
            import sys, boto3, botocore
            from botocore.config import Config
            session = boto3.Session()
            s3 = session.client("s3", endpoint_url=sys.argv[1], config=Config(s3={"addressing_style": "path"}))
            s3.put_object(Bucket="data", Key="acme/boto3.txt", Body=b"from boto3")
            body = s3.get_object(Bucket="data", Key="acme/boto3.txt")["Body"].read().decode()
            creds = session.get_credentials()
            print(body, creds.method, creds.get_frozen_credentials().access_key[:7])
            """;

    @Test
    void boto3WebIdentityFlowWhereInstalled() throws Exception {
        // service-specific endpoints (AWS_ENDPOINT_URL_STS) need botocore 1.31 or later
        org.junit.jupiter.api.Assumptions.assumeTrue(AwsCli.run(List.of("python3", "-c",
                "import boto3, botocore; v = tuple(int(x) for x in botocore.__version__.split('.')[:2]); "
                        + "assert v >= (1, 31)"), Map.of(), temp).exitCode() == 0,
                "python3 with boto3 and botocore >= 1.31 is not installed");
        Path tokenFile = temp.resolve("boto3-token");
        Files.writeString(tokenFile, jwt(b -> b));
        Path script = temp.resolve("boto3_web_identity.py");
        Files.writeString(script, BOTO3_SCRIPT);
        AwsCli.Result result = AwsCli.run(List.of("python3", script.toString(), server.endpoint().toString()),
                Map.of("AWS_ROLE_ARN", ROLE, "AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString(),
                        "AWS_ROLE_SESSION_NAME", "boto3", "AWS_ENDPOINT_URL_STS", server.endpoint().toString()), temp);
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("from boto3 assume-role-with-web-identity STSPRXY"), result.output());
    }

    @Test
    void sessionTokenKeyRotation() throws Exception {
        Credentials old = assume(jwt(b -> b)).credentials();
        try (MultistoreServer rotated = startServer("rotated", Map.of("SESSION_TOKEN_KEY", KEY_2,
                "SESSION_TOKEN_KEY_PREVIOUS", KEY_1))) {
            try (S3Client client = s3(rotated.endpoint(), old)) {
                client.listObjectsV2(b -> b.bucket("data").prefix("acme/")); // the previous key still opens it
            }
            Credentials fresh;
            try (StsClient rotatedSts = stsClient(rotated.endpoint())) {
                fresh = rotatedSts.assumeRoleWithWebIdentity(r -> r.roleArn(ROLE).roleSessionName("e2e")
                        .webIdentityToken(jwt(b -> b))).credentials();
            }
            try (S3Client client = s3(server.endpoint(), fresh)) {
                // new tokens use the current key, which the first server (KEY_1 only) does not have
                assertStatus(403, "AccessDenied", () -> client.listObjectsV2(b -> b.bucket("data").prefix("acme/")));
            }
            assertFalse(rotated.log().contains(KEY_1) || rotated.log().contains(KEY_2), "keys are never logged");
            String stored = Files.readString(stsConfigFile(rotated));
            assertTrue(stored.contains("$[prop:SESSION_TOKEN_KEY_PREVIOUS]"), stored);
            assertFalse(stored.contains(KEY_1) || stored.contains(KEY_2), "keys are never stored");
        }
        try (MultistoreServer removed = startServer("removed", Map.of("SESSION_TOKEN_KEY", KEY_2));
                S3Client client = s3(removed.endpoint(), old)) {
            // the previous key removed: its tokens no longer open
            assertStatus(403, "AccessDenied", () -> client.listObjectsV2(b -> b.bucket("data").prefix("acme/")));
        }
    }

    static boolean isStsBundle(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("io.multistore.auth.sts") || name.startsWith("nimbus-jose-jwt");
    }

    @Test
    void theStsBundleHotDeploys() throws Exception {
        Credentials minted = assume(jwt(b -> b)).credentials();
        try (MultistoreServer bare = startServer("without-sts", Map.of("SESSION_TOKEN_KEY", KEY_1),
                p -> !(p.startsWith("bundle") && isStsBundle(p)), false);
                S3Client client = s3(bare.endpoint(), minted);
                StsClient bareSts = stsClient(bare.endpoint())) {
            // without the bundle: session tokens are InvalidToken, STS calls are not answered as STS
            assertStatus(400, "InvalidToken", () -> client.listObjectsV2(b -> b.bucket("data").prefix("acme/")));
            StsException notSts = assertThrows(StsException.class, () -> bareSts.assumeRoleWithWebIdentity(r -> r
                    .roleArn(ROLE).roleSessionName("e2e").webIdentityToken(jwt(b -> b))));
            assertTrue(notSts.statusCode() >= 400 && !String.valueOf(notSts.awsErrorDetails().errorCode())
                    .matches("InvalidIdentityToken|MalformedPolicyDocument|InvalidParameterValue"), notSts::toString);
            Path pristine = Path.of(System.getProperty("multistore.home",
                    "../distribution/target/multistore-server"));
            try (var jars = Files.list(pristine.resolve("bundle"))) {
                for (Path jar : jars.filter(StsE2ETest::isStsBundle).toList()) {
                    Files.copy(jar, bare.deployDir().resolve(jar.getFileName()));
                }
            }
            awaitSts(bare);
            // the same token, minted by another instance with the same key, now opens
            client.listObjectsV2(b -> b.bucket("data").prefix("acme/"));
            assertTrue(bareSts.assumeRoleWithWebIdentity(r -> r.roleArn(ROLE).roleSessionName("e2e")
                    .webIdentityToken(jwt(b -> b))).credentials().accessKeyId().startsWith("STSPRXY"));
        }
    }

    /** Where Config Admin stores the launcher's STS configuration. */
    static Path stsConfigFile(MultistoreServer server) throws Exception {
        try (var files = Files.walk(server.home().resolve("data/config"))) {
            return files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.readString(p).contains("io.multistore.auth.sts.cli");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
        }
    }
}
