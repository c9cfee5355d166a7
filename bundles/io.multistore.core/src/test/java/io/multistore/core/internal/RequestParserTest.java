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
        "GET|/b/k|attributes|GET_OBJECT_ATTRIBUTES|b|k",
        "GET|/b/k|partNumber=2|GET_OBJECT|b|k",
        "HEAD|/b/k|partNumber=2|HEAD_OBJECT|b|k",
        "GET|/b/a%2Fb/c|NULL|GET_OBJECT|b|a/b/c",
        "GET|/b/a+b|NULL|GET_OBJECT|b|a+b",
        "GET|/b/a%20b|NULL|GET_OBJECT|b|a b",
        "GET|/b/%E2%82%AC/%F0%9F%98%80|NULL|GET_OBJECT|b|€/😀",
        "GET|/b//double|NULL|GET_OBJECT|b|/double",
        "GET|/b/..a/b..|NULL|GET_OBJECT|b|..a/b..",
    })
    void pathStyle(String method, String path, String query, Operation op, String bucket, String key) {
        S3Request r = pathOnly.parse(method, path, query, "localhost:8080", false);
        assertEquals(op, r.operation());
        assertEquals(bucket, r.bucket());
        assertEquals(key, r.key());
    }

    @ParameterizedTest(name = "{0} {1}?{2} is not implemented")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "GET|/b/k|acl", "PUT|/b/k|acl", "GET|/b/k|tagging", "PUT|/b/k|tagging", "DELETE|/b/k|tagging",
        "GET|/b|versioning", "GET|/b|policy", "PUT|/b|cors", "GET|/b|lifecycle", "GET|/b/k|versionId=3",
        "GET|/b/k|torrent", "POST|/b/k|select&select-type=2", "POST|/b/k|restore",
        "POST|/b|NULL", "POST|/b/k|NULL", "GET|/b|versions",
        "PUT|/b/k|partNumber=1", "PUT|/b/k|uploadId=u", "GET|/b/k|uploads",
        "PUT|/|NULL", "DELETE|/b/k|unknown-param", "GET|/|acl", "OPTIONS|/b/k|NULL", "PATCH|/b/k|NULL",
        "GET|/b|location&uploads", "GET|/b/k|ACL",
    })
    void notImplemented(String method, String path, String query) {
        S3Exception e = assertThrows(S3Exception.class, () -> pathOnly.parse(method, path, query, null, false));
        assertEquals(S3ErrorCode.NotImplemented, e.code());
    }

    @Test
    void copyAndUploadPartCopy() {
        assertEquals(Operation.COPY_OBJECT, pathOnly.parse("PUT", "/b/k", null, null, true).operation());
        S3Exception e = assertThrows(S3Exception.class,
                () -> pathOnly.parse("PUT", "/b/k", "partNumber=1&uploadId=u", null, true));
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
