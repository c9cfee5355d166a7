package io.multistore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestParserTest {

    private final RequestParser vhost = new RequestParser("s3.example.com");
    private final RequestParser pathOnly = new RequestParser("");

    @ParameterizedTest(name = "{0} {1}?{2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "GET|/|NULL|LIST_BUCKETS|NULL|NULL",
        "GET|/b|NULL|LIST_OBJECTS_V1|b|NULL",
        "GET|/b/|NULL|LIST_OBJECTS_V1|b|NULL",
        "GET|/b|list-type=2&prefix=a%2F&delimiter=/|LIST_OBJECTS_V2|b|NULL",
        "GET|/b|location|GET_BUCKET_LOCATION|b|NULL",
        "GET|/b|uploads&prefix=x|LIST_MULTIPART_UPLOADS|b|NULL",
        "HEAD|/b|NULL|HEAD_BUCKET|b|NULL",
        "POST|/b|delete|DELETE_OBJECTS|b|NULL",
        "GET|/b/k|NULL|GET_OBJECT|b|k",
        "GET|/b/k|response-content-type=text/plain&X-Amz-Signature=abc&x-id=GetObject|GET_OBJECT|b|k",
        "HEAD|/b/k|NULL|HEAD_OBJECT|b|k",
        "PUT|/b|NULL|CREATE_BUCKET|b|NULL",
        "DELETE|/b|NULL|DELETE_BUCKET|b|NULL",
        "PUT|/b/k|NULL|PUT_OBJECT|b|k",
        "DELETE|/b/k|NULL|DELETE_OBJECT|b|k",
        "POST|/b/k|uploads|CREATE_MULTIPART_UPLOAD|b|k",
        "PUT|/b/k|partNumber=1&uploadId=u|UPLOAD_PART|b|k",
        "POST|/b/k|uploadId=u|COMPLETE_MULTIPART_UPLOAD|b|k",
        "DELETE|/b/k|uploadId=u|ABORT_MULTIPART_UPLOAD|b|k",
        "GET|/b/k|uploadId=u&max-parts=5|LIST_PARTS|b|k",
        "POST|/b|NULL|POST_OBJECT|b|NULL",
        "GET|/b|cors|GET_BUCKET_CORS|b|NULL",
        "GET|/b|versions&prefix=p&key-marker=k&version-id-marker=v|LIST_OBJECT_VERSIONS|b|NULL",
        "GET|/b|versioning|GET_BUCKET_VERSIONING|b|NULL",
        "PUT|/b|versioning|PUT_BUCKET_VERSIONING|b|NULL",
        "GET|/b/k|versionId=3|GET_OBJECT|b|k",
        "HEAD|/b/k|versionId=3|HEAD_OBJECT|b|k",
        "DELETE|/b/k|versionId=3|DELETE_OBJECT|b|k",
        "GET|/b/k|tagging|GET_OBJECT_TAGGING|b|k",
        "PUT|/b/k|tagging&versionId=3|PUT_OBJECT_TAGGING|b|k",
        "DELETE|/b/k|tagging|DELETE_OBJECT_TAGGING|b|k",
        "GET|/b/k|attributes|GET_OBJECT_ATTRIBUTES|b|k",
        "GET|/b/k|partNumber=2|GET_OBJECT|b|k",
        "HEAD|/b/k|partNumber=2|HEAD_OBJECT|b|k",
        "GET|/b/a%2Fb/c|NULL|GET_OBJECT|b|a/b/c",
        "GET|/b/a+b|NULL|GET_OBJECT|b|a+b",
        "GET|/b/a%20b|NULL|GET_OBJECT|b|a b",
        "GET|/b/%E2%82%AC/%F0%9F%98%80|NULL|GET_OBJECT|b|€/😀",
        "GET|/b//double|NULL|GET_OBJECT|b|/double",
        "GET|/b/..a/b..|NULL|GET_OBJECT|b|..a/b..",
        // parameters that are no S3 sub-resource are ignored, as S3 ignores them
        "GET|/b/k|v=123|GET_OBJECT|b|k",
        "GET|/b/k|ACL|GET_OBJECT|b|k",
        "DELETE|/b/k|unknown-param|DELETE_OBJECT|b|k",
        "GET|/b|v=1&prefix=a|LIST_OBJECTS_V1|b|NULL",
        "PUT|/b/k|cachebust=1&partNumber=1&uploadId=u|UPLOAD_PART|b|k",
        "GET|/b/k|AWSAccessKeyId=AKID&Expires=1&Signature=c2ln|GET_OBJECT|b|k",
        // ACLs (see Acls)
        "GET|/b|acl|GET_BUCKET_ACL|b|NULL",
        "PUT|/b|acl|PUT_BUCKET_ACL|b|NULL",
        "GET|/b/k|acl|GET_OBJECT_ACL|b|k",
        "PUT|/b/k|acl|PUT_OBJECT_ACL|b|k",
        "GET|/b/k|acl&AWSAccessKeyId=A&Expires=1&Signature=s|GET_OBJECT_ACL|b|k",
    })
    void pathStyle(String method, String path, String query, Operation op, String bucket, String key) {
        S3Request r = pathOnly.parse(method, path, query, "localhost:8080", false);
        assertEquals(op, r.operation());
        assertEquals(bucket, r.bucket());
        assertEquals(key, r.key());
    }

    @ParameterizedTest(name = "{0} {1}?{2} is not implemented")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "GET|/b|tagging", "PUT|/b|tagging", "DELETE|/b|tagging",
        "DELETE|/b|versioning", "GET|/b|policy", "PUT|/b|cors", "GET|/b|lifecycle", "PUT|/b/k|versionId=3",
        "GET|/b/k|torrent", "POST|/b/k|select&select-type=2", "POST|/b/k|restore",
        "POST|/b/k|NULL", "GET|/b/k|acl&versionId=3", "POST|/b/k|uploads&versionId=3",
        "PUT|/b/k|partNumber=1", "PUT|/b/k|uploadId=u", "GET|/b/k|uploads",
        "PUT|/|NULL", "GET|/|acl", "GET|/b|website", "PUT|/b|policy",
        "GET|/b|replication", "GET|/b|notification", "GET|/b|object-lock", "GET|/b|encryption", "PUT|/b/k|retention",
        "GET|/b/k|legal-hold", "OPTIONS|/b/k|NULL", "PATCH|/b/k|NULL",
        "GET|/b|location&uploads",
    })
    void notImplemented(String method, String path, String query) {
        S3Exception e = assertThrows(S3Exception.class, () -> pathOnly.parse(method, path, query, null, false));
        assertEquals(S3ErrorCode.NotImplemented, e.code());
    }

    @Test
    void copyAndUploadPartCopy() {
        assertEquals(Operation.COPY_OBJECT, pathOnly.parse("PUT", "/b/k", null, null, true).operation());
        assertEquals(Operation.UPLOAD_PART_COPY,
                pathOnly.parse("PUT", "/b/k", "partNumber=1&uploadId=u", null, true).operation());
        S3Exception e = assertThrows(S3Exception.class,
                () -> pathOnly.parse("PUT", "/b/k", "partNumber=1&uploadId=u&tagging", null, true));
        assertEquals(S3ErrorCode.NotImplemented, e.code());
    }

    @ParameterizedTest(name = "host {0} path {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "bkt.s3.example.com|/key/x|bkt|key/x",
        "BKT.S3.Example.COM:8080|/key|bkt|key",
        "bkt.s3.example.com.|/|bkt|NULL",
        "my.dotted.bucket.s3.example.com|/k|my.dotted.bucket|k",
        "s3.example.com|/bkt/key|bkt|key",
        "s3.example.com:443|/bkt|bkt|NULL",
        "localhost:8080|/bkt/key|bkt|key",
        "[::1]:8080|/bkt/key|bkt|key",
        "evils3.example.com|/bkt/key|bkt|key",
        "NULL|/bkt/key|bkt|key",
    })
    void virtualHost(String host, String path, String bucket, String key) {
        S3Request r = vhost.parse("GET", path, null, host, false);
        assertEquals(bucket, r.bucket());
        assertEquals(key, r.key());
    }

    @Test
    void virtualHostIgnoredWithoutDomain() {
        S3Request r = pathOnly.parse("GET", "/key", null, "bkt.s3.example.com", false);
        assertEquals("key", r.bucket());
        assertNull(r.key());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/b/..|InvalidArgument", "/b/../x|InvalidArgument", "/b/a/%2E%2E/x|InvalidArgument",
        "/b/a/./x|InvalidArgument", "/b/.|InvalidArgument", "/b/a%00b|InvalidArgument",
        "/b/%zz|InvalidURI", "/b/%E2%82|InvalidURI", "/b/%|InvalidURI", "/b/%C0%AF|InvalidURI",
    })
    void hostileKeys(String path, S3ErrorCode code) {
        S3Exception e = assertThrows(S3Exception.class, () -> pathOnly.parse("GET", path, null, null, false));
        assertEquals(code, e.code());
    }

    @Test
    void keyLengthIsLimitedInUtf8Bytes() {
        String ok = "k".repeat(1024);
        assertEquals(ok, pathOnly.parse("GET", "/b/" + ok, null, null, false).key());
        assertEquals(S3ErrorCode.KeyTooLongError, assertThrows(S3Exception.class,
                () -> pathOnly.parse("GET", "/b/" + "k".repeat(1025), null, null, false)).code());
        // 342 euro signs = 1026 bytes, 342 characters
        String euros = "%E2%82%AC".repeat(342);
        assertEquals(S3ErrorCode.KeyTooLongError, assertThrows(S3Exception.class,
                () -> pathOnly.parse("GET", "/b/" + euros, null, null, false)).code());
    }

    @Test
    void queryDecodesPercentButKeepsPlus() {
        S3Request r = pathOnly.parse("GET", "/b", "prefix=a+b%20c%2Bd&delimiter=%2F&marker=&marker=2", null,
                false);
        assertEquals("a+b c+d", r.param("prefix"));
        assertEquals("/", r.param("delimiter"));
        assertEquals(List.of("", "2"), r.query().get("marker"));
    }

    @Test
    void aBrokenEscapeInTheQueryIsAnInvalidUri() {
        assertEquals(S3ErrorCode.InvalidURI, assertThrows(S3Exception.class,
                () -> pathOnly.parse("GET", "/b", "prefix=%ZZ", null, false)).code());
        assertEquals(S3ErrorCode.InvalidURI, assertThrows(S3Exception.class,
                () -> pathOnly.parse("GET", "/b", "prefix=%C3%28", null, false)).code());
    }

    @Test
    void invalidListType() {
        assertEquals(S3ErrorCode.InvalidArgument, assertThrows(S3Exception.class,
                () -> pathOnly.parse("GET", "/b", "list-type=3", null, false)).code());
        assertEquals(Operation.LIST_OBJECTS_V1, pathOnly.parse("GET", "/b", "list-type=1", null, false)
                .operation());
    }
}
