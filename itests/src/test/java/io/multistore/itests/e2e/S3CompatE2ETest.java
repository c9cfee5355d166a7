package io.multistore.itests.e2e;

import static io.multistore.itests.e2e.GatewayE2ETest.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * The S3 surface older and stricter clients rely on, end to end through the distribution on the filesystem backend
 * ({@code local}, {@code localpub}) and on S3Proxy ({@code data}, {@code public}): Signature Version 2 made by boto3
 * (presigned URLs and header-signed requests), unknown query parameters, ACLs as S3 answers them with ACLs disabled,
 * and the fidelity fixes (unknown Authorization schemes, repeated headers, a retried multipart completion).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3CompatE2ETest {
    @TempDir
    static Path temp;

    S3ProxyServer s3proxy;
    MultistoreServer server;
    S3Client client;
    S3Client reader;
    S3Client anonymous;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start();
        s3proxy.createBucket("backend");
        Path config = temp.resolve("config.toml");
        Files.writeString(config, config(s3proxy, temp.resolve("fs")));
        Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
        server = MultistoreServer.start(home, config, List.of(), Map.of("JAVA_OPTS", "-Xmx256m"));
        client = Clients.pathStyle(server.endpoint(), E2E.KEY, E2E.SECRET);
        reader = Clients.pathStyle(server.endpoint(), E2E.READER_KEY, E2E.READER_SECRET);
        anonymous = Clients.anonymous(server.endpoint());
        E2E.awaitReady(client, server, "local");
        E2E.awaitReady(client, server, "data");
    }

    @AfterAll
    void stop() {
        Stream.of(client, reader, anonymous).filter(c -> c != null).forEach(S3Client::close);
        // every refusal above is a client's mistake or an unserved sub-resource: nothing an operator must act on
        List<String> errors = server == null ? List.of()
                : server.log().lines().filter(l -> l.contains(" ERROR ")).toList();
        if (server != null) {
            server.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
        assertEquals(List.of(), errors, "client mistakes must not be logged as ERROR");
    }

    /** {@code local}/{@code localpub} on fs and {@code data}/{@code public} on S3Proxy; the reader may only read. */
    static String config(S3ProxyServer s3, Path fsRoot) {
        String s3Options = E2E.s3Options(s3);
        String all = String.join(", ", LocalGateway.objectActions().stream().map(a -> "\"" + a + "\"").toList());
        return """
                [[buckets]]
                name = "local"
                backend_type = "fs"
                anonymous_access = false
                [buckets.backend_options]
                root = "%1$s/local"

                [[buckets]]
                name = "localpub"
                backend_type = "fs"
                anonymous_access = true
                [buckets.backend_options]
                root = "%1$s/localpub"

                [[buckets]]
                name = "data"
                backend_type = "s3"
                backend_prefix = "gw/"
                anonymous_access = false
                %2$s
                [[buckets]]
                name = "public"
                backend_type = "s3"
                backend_prefix = "pub/"
                anonymous_access = true
                %2$s
                [[credentials]]
                access_key_id = "%3$s"
                secret_access_key = "%4$s"
                principal_name = "compat"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "*"
                actions = [%5$s]

                [[credentials]]
                access_key_id = "%6$s"
                secret_access_key = "%7$s"
                principal_name = "reader"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "*"
                actions = ["get_object", "head_object", "list_bucket"]
                """.formatted(fsRoot, s3Options, E2E.KEY, E2E.SECRET, all, E2E.READER_KEY, E2E.READER_SECRET);
    }

    static String publicBucket(String bucket) {
        return bucket.equals("local") ? "localpub" : "public";
    }

    // ---------------------------------------------------------------- Signature Version 2, made by boto3

    /** boto3 with {@code signature_version='s3'} (V2): a header-signed PUT, GET and ACL calls, and presigned URLs. */
    static final String BOTO3_V2 = """
            import sys, boto3
            from botocore.config import Config
            from botocore.exceptions import ClientError
            endpoint, bucket, key = sys.argv[1], sys.argv[2], sys.argv[3]
            s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                              config=Config(signature_version="s3", s3={"addressing_style": "path"}))
            s3.put_object(Bucket=bucket, Key=key, Body=b"signed with V2", ContentType="text/plain")
            print("GET " + s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode())
            s3.put_object_acl(Bucket=bucket, Key=key, ACL="private")
            print("ACL " + s3.get_object_acl(Bucket=bucket, Key=key)["Grants"][0]["Permission"])
            try:
                s3.put_object_acl(Bucket=bucket, Key=key, ACL="public-read")
                print("PUBLIC-READ accepted")
            except ClientError as e:
                print("PUBLIC-READ " + e.response["Error"]["Code"])
            print("URL " + s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                                     ExpiresIn=300))
            print("EXPIRED " + s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                                         ExpiresIn=-60))
            # boto3's default for us-east-1 presigned URLs, no signature_version given (V2 in boto3 1.43)
            default = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
            print("DEFAULT " + default.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}))
            """;

    static void requireBoto3() {
        boolean installed = AwsCli.run(List.of("python3", "-c", "import boto3"), Map.of(), Path.of("."))
                .exitCode() == 0;
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("boto3 is not installed; .ci/run installs it");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installed, "python3 with boto3 is not installed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "data"})
    void boto3SignatureVersion2(String bucket) throws Exception {
        requireBoto3();
        String key = "v2/boto3 object.txt";
        AwsCli.Result result = AwsCli.run(List.of("python3", "-c", BOTO3_V2, server.endpoint().toString(), bucket,
                key), Map.of("AWS_ACCESS_KEY_ID", E2E.KEY, "AWS_SECRET_ACCESS_KEY", E2E.SECRET), temp);
        assertEquals(0, result.exitCode(), result.output());
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : result.output().split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                out.put(line.substring(0, space), line.substring(space + 1).trim());
            }
        }
        assertEquals("signed with V2", out.get("GET"), result.output());
        assertEquals("FULL_CONTROL", out.get("ACL"), result.output());
        assertEquals("AccessControlListNotSupported", out.get("PUBLIC-READ"), result.output());
        // the object the V2 PUT wrote is the one V4 clients see
        assertEquals("signed with V2", client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());

        String url = out.get("URL");
        assertTrue(url.contains("AWSAccessKeyId=") && url.contains("Signature=") && url.contains("Expires="), url);
        HttpResponse<String> get = get(url);
        assertEquals(200, get.statusCode(), get.body());
        assertEquals("signed with V2", get.body());
        HttpResponse<String> byDefault = get(out.get("DEFAULT"));
        assertEquals(200, byDefault.statusCode(), byDefault.body());

        HttpResponse<String> expired = get(out.get("EXPIRED"));
        assertError(expired, 403, "AccessDenied");
        assertTrue(expired.body().contains("Request has expired"), expired.body());
        HttpResponse<String> tampered = get(url.replace("boto3%20object", "boto3%20objecT"));
        assertError(tampered, 403, "SignatureDoesNotMatch");
        String otherExpiry = url.replaceFirst("Expires=\\d+", "Expires=" + (System.currentTimeMillis() / 1000 + 900));
        assertError(get(otherExpiry), 403, "SignatureDoesNotMatch");
        String wrongKey = url.replace(E2E.KEY, "AKIDE2E0000000009999");
        assertError(get(wrongKey), 403, "InvalidAccessKeyId");
    }

    /** {@code sigv2_enabled=false} in a {@code .cfg} dropped into deploy/ refuses V2; removing it accepts V2 again. */
    @org.junit.jupiter.api.Test
    void signatureVersion2CanBeSwitchedOff() throws Exception {
        client.putObject(b -> b.bucket("local").key("v2/switch.txt"), RequestBody.fromString("switch"));
        String url = presignV2("/local/v2/switch.txt", System.currentTimeMillis() / 1000 + 600);
        assertEquals(200, get(url).statusCode());
        Path cfg = server.deployDir().resolve("io.multistore.core.gateway.cfg");
        Files.writeString(cfg, "sigv2_enabled=false\n");
        try {
            // polled: the gateway is reconfigured (and its servlet re-registered) while FileInstall applies the file
            server.await("V2 refused with InvalidRequest under the deployed .cfg", java.time.Duration.ofSeconds(30),
                    () -> refusedAsV2(url));
            // V4 is unaffected
            server.await("V4 still served", java.time.Duration.ofSeconds(30), () -> {
                try {
                    return client.getObjectAsBytes(b -> b.bucket("local").key("v2/switch.txt")).asUtf8String()
                            .equals("switch");
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
        } finally {
            Files.delete(cfg);
        }
        server.await("V2 accepted again once the .cfg is removed", java.time.Duration.ofSeconds(30),
                () -> statusOf(url) == 200);
        // FileInstall may apply the change in more than one step: the tests after this one need a settled gateway
        MultistoreServer.sleep(2_000);
        server.await("V2 still accepted", java.time.Duration.ofSeconds(30), () -> statusOf(url) == 200);
    }

    /** A V2 presigned GET URL, signed here from the string to sign written out by hand. */
    String presignV2(String path, long expires) throws Exception {
        String signature = hmacSha1(E2E.SECRET, "GET\n\n\n" + expires + "\n" + path);
        return server.endpoint() + path + "?AWSAccessKeyId=" + E2E.KEY + "&Expires=" + expires + "&Signature="
                + java.net.URLEncoder.encode(signature, StandardCharsets.UTF_8);
    }

    /** Whether a V2 URL is refused as the gateway refuses V2 when it is off. */
    boolean refusedAsV2(String url) {
        try {
            HttpResponse<String> r = get(url);
            return r.statusCode() == 400 && r.body().contains("<Code>InvalidRequest</Code>")
                    && r.body().contains("Please use AWS4-HMAC-SHA256");
        } catch (Exception e) {
            return false;
        }
    }

    int statusOf(String url) {
        try {
            return get(url).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    static String hmacSha1(String secret, String stringToSign) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return java.util.Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- query parameters

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "data"})
    void unknownQueryParametersAreIgnoredAndKnownUnservedSubResourcesAre501(String bucket) throws Exception {
        String pub = publicBucket(bucket);
        client.putObject(b -> b.bucket(pub).key("site/app.js"), RequestBody.fromString("console.log(1)"));
        HttpResponse<String> busted = get(server.endpoint() + "/" + pub + "/site/app.js?v=123");
        assertEquals(200, busted.statusCode(), busted.body());
        assertEquals("console.log(1)", busted.body());
        HttpResponse<String> listing = get(server.endpoint() + "/" + pub + "?_=1700000000&prefix=site/");
        assertEquals(200, listing.statusCode(), listing.body());
        assertTrue(listing.body().contains("<Key>site/app.js</Key>"), listing.body());
        // a sub-resource the gateway does not serve stays NotImplemented, signed or not
        assertError(get(server.endpoint() + "/" + pub + "?policy"), 501, "NotImplemented");
        assertStatus(501, "NotImplemented", () -> client.getBucketPolicy(b -> b.bucket(bucket)));
        assertStatus(501, "NotImplemented", () -> client.getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
        assertStatus(501, "NotImplemented", () -> client.getBucketWebsite(b -> b.bucket(bucket)));
    }

    // ---------------------------------------------------------------- ACLs

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "data"})
    void aclsAsS3AnswersThemWithAclsDisabled(String bucket) throws Exception {
        String key = "acl/object.txt";
        client.putObject(b -> b.bucket(bucket).key(key).acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL),
                RequestBody.fromString("owned"));
        client.putObject(b -> b.bucket(bucket).key(key).acl(ObjectCannedACL.PRIVATE), RequestBody.fromString("owned"));

        GetObjectAclResponse objectAcl = client.getObjectAcl(b -> b.bucket(bucket).key(key));
        assertEquals("compat", objectAcl.owner().id());
        assertEquals(1, objectAcl.grants().size(), objectAcl.toString());
        Grant grant = objectAcl.grants().get(0);
        assertEquals(Permission.FULL_CONTROL, grant.permission());
        assertEquals(Type.CANONICAL_USER, grant.grantee().type());
        assertEquals("compat", grant.grantee().id());

        GetBucketAclResponse bucketAcl = client.getBucketAcl(b -> b.bucket(bucket));
        assertEquals(1, bucketAcl.grants().size(), bucketAcl.toString());
        GetBucketAclResponse publicAcl = anonymous.getBucketAcl(b -> b.bucket(publicBucket(bucket)));
        assertEquals(2, publicAcl.grants().size(), publicAcl.toString());
        assertEquals(Permission.READ, publicAcl.grants().get(1).permission());
        assertEquals("http://acs.amazonaws.com/groups/global/AllUsers", publicAcl.grants().get(1).grantee().uri());

        // what every object already has is accepted; anything else is refused, never dropped
        client.putObjectAcl(b -> b.bucket(bucket).key(key).acl(ObjectCannedACL.PRIVATE));
        client.putObjectAcl(b -> b.bucket(bucket).key(key).acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL));
        client.putObjectAcl(b -> b.bucket(bucket).key(key).accessControlPolicy(p -> p.owner(objectAcl.owner())
                .grants(grant)));
        client.putBucketAcl(b -> b.bucket(bucket).acl(software.amazon.awssdk.services.s3.model.BucketCannedACL.PRIVATE));
        assertStatus(400, "AccessControlListNotSupported",
                () -> client.putObjectAcl(b -> b.bucket(bucket).key(key).acl(ObjectCannedACL.PUBLIC_READ)));
        assertStatus(400, "AccessControlListNotSupported", () -> client.putObjectAcl(b -> b.bucket(bucket).key(key)
                .accessControlPolicy(p -> p.owner(objectAcl.owner()).grants(grant, Grant.builder()
                        .grantee(g -> g.type(Type.GROUP).uri("http://acs.amazonaws.com/groups/global/AllUsers"))
                        .permission(Permission.READ).build()))));
        assertStatus(400, "AccessControlListNotSupported", () -> client.putObjectAcl(b -> b.bucket(bucket).key(key)
                .grantRead("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")));
        assertStatus(400, "AccessControlListNotSupported", () -> client.putBucketAcl(b -> b.bucket(bucket)
                .acl(software.amazon.awssdk.services.s3.model.BucketCannedACL.PUBLIC_READ)));
        assertStatus(400, "AccessControlListNotSupported", () -> client.putObject(b -> b.bucket(bucket)
                .key("acl/refused.txt").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x")));
        assertStatus(400, "AccessControlListNotSupported", () -> client.createMultipartUpload(b -> b.bucket(bucket)
                .key("acl/refused.txt").grantFullControl("id=\"someone-else\"")));
        assertStatus(404, "NoSuchKey", () -> client.headObject(b -> b.bucket(bucket).key("acl/refused.txt")));

        assertStatus(404, "NoSuchKey", () -> client.getObjectAcl(b -> b.bucket(bucket).key("acl/missing.txt")));
        // reading an ACL is a read, writing one a write
        assertEquals(1, reader.getObjectAcl(b -> b.bucket(bucket).key(key)).grants().size());
        assertStatus(403, "AccessDenied",
                () -> reader.putObjectAcl(b -> b.bucket(bucket).key(key).acl(ObjectCannedACL.PRIVATE)));
        assertStatus(403, "AccessDenied", () -> anonymous.getObjectAcl(b -> b.bucket(bucket).key(key)));
    }

    // ---------------------------------------------------------------- fidelity

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "data"})
    void unknownAuthorizationSchemeIsInvalidArgument(String bucket) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(server.endpoint() + "/" + bucket + "/k")).header("Authorization", "Bearer abc.def.ghi")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertError(response, 400, "InvalidArgument");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "data"})
    void repeatedHeadersAreStoredJoined(String bucket) throws Exception {
        byte[] body = "compressed twice".getBytes(StandardCharsets.UTF_8);
        String target = "/" + bucket + "/headers/twice";
        List<String[]> headers = new ArrayList<>(List.of(new String[] {"Content-Encoding", "deflate"},
                new String[] {"Content-Encoding", "gzip"}, new String[] {"Cache-Control", "no-cache"},
                new String[] {"Cache-Control", "max-age=0"}));
        RawHttp.Response put = RawHttp.send(server.port(), "PUT", target, RawHttp.signed("PUT",
                server.endpoint().resolve(target), headers, body, E2E.KEY, E2E.SECRET), body);
        assertEquals(200, put.status(), put.toString());
        var head = client.headObject(b -> b.bucket(bucket).key("headers/twice"));
        assertEquals("deflate, gzip", head.contentEncoding());
        assertEquals("no-cache, max-age=0", head.cacheControl());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "data"})
    void completingACompletedUploadAgain(String bucket) {
        String key = "mpu/twice.bin";
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        String etag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromString("only part")).eTag();
        CompletedPart part = CompletedPart.builder().partNumber(1).eTag(etag).build();
        String first = client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(part))).eTag();
        // as S3 answers a retried completion: the same object, 200 (fs remembers it; S3Proxy answers so itself)
        String again = client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(part))).eTag();
        assertEquals(first, again);
        // other parts than those completed: the upload is gone
        assertStatus(404, "NoSuchUpload", () -> client.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                .uploadId(uploadId).multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1)
                        .eTag("\"00000000000000000000000000000000\"").build()))));
        assertEquals("only part", client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "data"})
    void awsChunkedBodyOfAnotherDecodedLengthIsIncompleteBody(String bucket) throws Exception {
        byte[] body = "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        String target = "/" + bucket + "/chunked/hello";
        // the declared length right: stored; one byte short or long: IncompleteBody, as S3 answers, nothing stored
        assertEquals(200, chunkedPut(target, body, 5).status());
        assertEquals("hello", client.getObjectAsBytes(b -> b.bucket(bucket).key("chunked/hello")).asUtf8String());
        client.deleteObject(b -> b.bucket(bucket).key("chunked/hello"));
        for (long declared : new long[] {4, 6}) {
            RawHttp.Response response = chunkedPut(target, body, declared);
            assertEquals(400, response.status(), response.toString());
            assertTrue(response.text().contains("<Code>IncompleteBody</Code>"), response.toString());
        }
        assertStatus(404, "NoSuchKey", () -> client.headObject(b -> b.bucket(bucket).key("chunked/hello")));
    }

    /** An unsigned-payload {@code aws-chunked} PUT, header-signed with V2 (whose string to sign is short to write). */
    RawHttp.Response chunkedPut(String target, byte[] body, long decodedLength) throws Exception {
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        String mode = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
        String stringToSign = "PUT\n\n\n" + date + "\nx-amz-content-sha256:" + mode
                + "\nx-amz-decoded-content-length:" + decodedLength + "\n" + target;
        String signature = hmacSha1(E2E.SECRET, stringToSign);
        return RawHttp.send(server.port(), "PUT", target, List.of(new String[] {"Date", date},
                new String[] {"Content-Encoding", "aws-chunked"}, new String[] {"x-amz-content-sha256", mode},
                new String[] {"x-amz-decoded-content-length", Long.toString(decodedLength)},
                new String[] {"Authorization", "AWS " + E2E.KEY + ":" + signature}), body);
    }

    // ---------------------------------------------------------------- helpers

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains("<Code>" + code + "</Code>"), response.body());
    }
}
