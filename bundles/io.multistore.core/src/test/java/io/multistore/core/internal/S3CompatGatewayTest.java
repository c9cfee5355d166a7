package io.multistore.core.internal;

import static io.multistore.core.internal.GatewayTest.anon;
import static io.multistore.core.internal.GatewayTest.bytes;
import static io.multistore.core.internal.GatewayTest.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.backend.ObjectAttributes;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ignored query parameters, ACLs with ACLs disabled and repeated headers, through the gateway on memory stores. */
class S3CompatGatewayTest {

    final GatewayTest fixture = new GatewayTest();

    @BeforeEach
    void setUp() {
        fixture.setUp();
    }

    MemoryExchange run(MemoryExchange ex) throws IOException {
        return fixture.run(ex);
    }

    @Test
    void unknownQueryParametersAreIgnored() throws IOException {
        fixture.publicStore.putBytes("tenant/app.js", bytes("js"), ObjectAttributes.NONE);
        MemoryExchange get = run(anon("GET", "/public/app.js", "v=123"));
        assertEquals(200, get.status(), get.responseText());
        assertEquals("js", get.responseText());
        assertEquals(200, run(anon("GET", "/public", "cachebust=1&prefix=app")).status());
        MemoryExchange policy = run(anon("GET", "/public", "policy"));
        assertEquals(501, policy.status());
        assertTrue(policy.responseText().contains("<Code>NotImplemented</Code>"));
    }

    @Test
    void aclsAreReadAsTheOwnersFullControl() throws IOException {
        fixture.privateStore.putBytes("k", bytes("x"), ObjectAttributes.NONE);
        MemoryExchange object = run(signed("GET", "/private/k", Map.of("acl", ""), null));
        assertEquals(200, object.status(), object.responseText());
        String xml = object.responseText();
        assertTrue(xml.contains("<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"), xml);
        assertTrue(xml.contains("<Owner><ID>alice</ID><DisplayName>alice</DisplayName></Owner>"), xml);
        assertTrue(xml.contains("xsi:type=\"CanonicalUser\"><ID>alice</ID>"), xml);
        assertTrue(xml.contains("<Permission>FULL_CONTROL</Permission>"), xml);
        assertFalse(xml.contains("AllUsers"), xml);
        MemoryExchange missing = run(signed("GET", "/private/gone", Map.of("acl", ""), null));
        assertEquals(404, missing.status());
        assertTrue(missing.responseText().contains("<Code>NoSuchKey</Code>"));
        // an anonymous bucket grants READ to everyone, and anyone may read that
        MemoryExchange bucket = run(anon("GET", "/public", "acl"));
        assertEquals(200, bucket.status(), bucket.responseText());
        assertTrue(bucket.responseText().contains("xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/"
                + "AllUsers</URI></Grantee><Permission>READ</Permission>"), bucket.responseText());
        assertEquals(403, run(anon("GET", "/private", "acl")).status());
    }

    @Test
    void aclWritesSucceedOnlyForTheOwnersFullControl() throws IOException {
        fixture.privateStore.putBytes("k", bytes("x"), ObjectAttributes.NONE);
        assertEquals(200, run(signed("PUT", "/private/k", Map.of("acl", ""), null, "x-amz-acl", "private")).status());
        assertEquals(200, run(signed("PUT", "/private", Map.of("acl", ""), null, "x-amz-acl",
                "bucket-owner-full-control")).status());
        String owner = "<AccessControlPolicy><Owner><ID>alice</ID></Owner><AccessControlList><Grant>"
                + "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
                + "<ID>alice</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList>"
                + "</AccessControlPolicy>";
        assertEquals(200, run(signed("PUT", "/private/k", Map.of("acl", ""), bytes(owner))).status());
        for (MemoryExchange refused : new MemoryExchange[] {
            signed("PUT", "/private/k", Map.of("acl", ""), null, "x-amz-acl", "public-read"),
            signed("PUT", "/private/k", Map.of("acl", ""), null, "x-amz-grant-read", "id=\"bob\""),
            signed("PUT", "/private/k", Map.of("acl", ""), bytes(owner.replace("<ID>alice</ID></Grantee>",
                    "<ID>bob</ID></Grantee>"))),
            signed("PUT", "/private/k", Map.of("acl", ""), bytes(owner.replace("FULL_CONTROL", "READ"))),
            signed("PUT", "/private/new", Map.of(), bytes("y"), "x-amz-acl", "public-read-write"),
            signed("POST", "/private/new", Map.of("uploads", ""), null, "x-amz-grant-full-control", "id=\"bob\""),
        }) {
            MemoryExchange ex = run(refused);
            assertEquals(400, ex.status(), ex.responseText());
            assertTrue(ex.responseText().contains("<Code>AccessControlListNotSupported</Code>"), ex.responseText());
            assertTrue(ex.responseText().contains("<Message>The bucket does not allow ACLs</Message>"));
        }
        assertFalse(fixture.privateStore.objects.containsKey("new"));
        MemoryExchange noAcl = run(signed("PUT", "/private/k", Map.of("acl", ""), null));
        assertEquals(400, noAcl.status());
        assertTrue(noAcl.responseText().contains("<Code>MissingSecurityHeader</Code>"), noAcl.responseText());
        assertEquals(404, run(signed("PUT", "/private/gone", Map.of("acl", ""), null, "x-amz-acl", "private"))
                .status());
    }

    @Test
    void repeatedHeadersAreStoredJoined() throws IOException {
        MemoryExchange put = signed("PUT", "/private/twice", Map.of(), bytes("z"));
        put.header("Content-Encoding", "deflate");
        put.header("Content-Encoding", "gzip");
        put.header("Cache-Control", "no-cache");
        put.header("Cache-Control", "max-age=0");
        // unsigned headers: the SDK signed only its own, so the repeated ones do not disturb the signature
        assertEquals(200, run(put).status(), put.responseText());
        ObjectAttributes stored = fixture.privateStore.objects.get("twice").meta().attributes();
        assertEquals("deflate, gzip", stored.contentEncoding());
        assertEquals("no-cache, max-age=0", stored.cacheControl());
        MemoryExchange head = run(signed("HEAD", "/private/twice", Map.of(), null));
        assertEquals("deflate, gzip", head.responseHeader("Content-Encoding"));
    }
}
