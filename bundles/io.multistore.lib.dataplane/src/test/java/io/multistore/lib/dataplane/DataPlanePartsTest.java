package io.multistore.lib.dataplane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.S3ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The data plane's pieces that need no server: bodies, retry timing, error documents, headers. */
class DataPlanePartsTest {

    @Test
    void aStreamedBodyIsReplayableOnlyUntilItsFirstByteIsRead() throws IOException {
        OutboundBody body = OutboundBody.stream(new ByteArrayInputStream(new byte[10]), 10);
        assertTrue(body.replayable());
        body.newStream();
        InputStream again = body.newStream();
        assertTrue(body.replayable(), "opened but unread: a refused connection may still retry");
        again.mark(Integer.MAX_VALUE);
        again.reset();
        assertEquals(4, again.read(new byte[4]));
        assertFalse(body.replayable());
        assertThrows(IOException.class, body::newStream);
        assertThrows(IOException.class, again::reset);
    }

    @Test
    void aShortClientStreamFailsTheUploadWithIncompleteBody() throws IOException {
        OutboundBody body = OutboundBody.stream(new ByteArrayInputStream(new byte[5]), 10);
        InputStream in = body.newStream();
        assertThrows(IOException.class, in::readAllBytes);
        assertEquals(S3ErrorCode.IncompleteBody, body.failure("k").code());
    }

    @Test
    void bytesInMemoryReplayAsOftenAsNeeded() throws IOException {
        byte[] data = {1, 2, 3, 4, 5};
        OutboundBody body = OutboundBody.of(data, 1, 3);
        assertArrayEquals(new byte[] {2, 3, 4}, body.newStream().readAllBytes());
        assertArrayEquals(new byte[] {2, 3, 4}, body.newStream().readAllBytes());
        assertTrue(body.replayable());
        assertNull(body.failure("k"));
    }

    @Test
    void anEncodedBodyFollowsThePlainOnesReplayState() throws IOException {
        OutboundBody plain = OutboundBody.stream(new ByteArrayInputStream(new byte[10]), 10);
        OutboundBody encoded = plain.encoded(20, plain::newStream);
        assertEquals(20, encoded.length());
        encoded.newStream().read();
        assertFalse(encoded.replayable());
        assertThrows(IOException.class, encoded::newStream);
    }

    @Test
    void retryDelaysStayWithinTheirJitteredCeilings() {
        RetryPolicy policy = RetryPolicy.STANDARD;
        for (int i = 0; i < 200; i++) {
            assertTrue(policy.delayMillis(1, false) <= 100);
            assertTrue(policy.delayMillis(2, false) <= 200);
            assertTrue(policy.delayMillis(2, true) <= 2000);
            assertTrue(policy.delayMillis(30, true) <= 20_000);
        }
        assertTrue(policy.retryable(503) && policy.retryable(500) && policy.retryable(429));
        assertFalse(policy.retryable(404) || policy.retryable(412) || policy.retryable(501));
        assertTrue(policy.throttling(503) && !policy.throttling(500));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO,
                Duration.ZERO));
    }

    @Test
    void errorDocumentsOfS3AndAzureParse() {
        ErrorBody s3 = ErrorBody.parse("<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The key &amp; "
                + "&lt;more&gt;</Message></Error>");
        assertEquals("NoSuchKey", s3.code());
        assertEquals("The key & <more>", s3.message());
        ErrorBody azure = ErrorBody.parse("\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>BlobNotFound"
                + "</Code><Message>The specified blob does not exist.\nRequestId:x</Message></Error>");
        assertEquals("BlobNotFound", azure.code());
        assertEquals(new ErrorBody(null, null), ErrorBody.parse(""));
    }

    @Test
    void commonStatusesMapAlikeForEveryStore() {
        assertEquals(S3ErrorCode.NotModified, StoreErrors.common("s", 304, "d", "k", null).code());
        assertEquals(S3ErrorCode.PreconditionFailed, StoreErrors.common("s", 412, "d", "k", null).code());
        assertEquals(S3ErrorCode.InvalidRange, StoreErrors.common("s", 416, "d", "k", null).code());
        assertEquals(S3ErrorCode.ServiceUnavailable, StoreErrors.common("s", 403, "d", "k", null).code());
        assertEquals(S3ErrorCode.ServiceUnavailable, StoreErrors.common("s", 503, "d", "k", null).code());
        assertEquals(S3ErrorCode.NotImplemented, StoreErrors.common("s", 501, "d", "k", null).code());
        assertNull(StoreErrors.common("s", 404, "d", "k", null), "not-found codes differ per store");
        assertNull(StoreErrors.common("s", 400, "d", "k", null));
    }

    @Test
    void responseHeadersAreCaseInsensitiveAndMetadataIsStripped() {
        AtomicBoolean aborted = new AtomicBoolean();
        BackendResponse response = new BackendResponse(200, Map.of("etag", List.of("\"x\""),
                "X-Amz-Meta-Color", List.of("blue"), "x-amz-meta-", List.of("empty name"),
                "Last-Modified", List.of("Wed, 21 Oct 2015 07:28:00 GMT"), "Content-Length", List.of("3")),
                new ByteArrayInputStream(new byte[3]), () -> aborted.set(true));
        assertEquals("\"x\"", response.header("ETag"));
        assertEquals(Map.of("color", "blue"), StoreHeaders.userMetadata(response, "x-amz-meta-"));
        assertEquals(Instant.parse("2015-10-21T07:28:00Z"), StoreHeaders.parseDate(response.header("last-modified")));
        assertEquals("Wed, 21 Oct 2015 07:28:00 GMT", StoreHeaders.formatDate(Instant.parse("2015-10-21T07:28:00Z")));
        assertEquals(3, response.contentLength());
        response.close();
        assertTrue(aborted.get(), "closed before its end: the connection is dropped, not drained");
        assertTrue(response.body().abortedEarly());
    }

    @Test
    void repeatedDatesParseToTheSameInstants() {
        java.time.Instant t = java.time.Instant.parse("1994-11-06T08:49:37Z");
        org.junit.jupiter.api.Assertions.assertEquals(t, StoreHeaders.parseDate("Sun, 06 Nov 1994 08:49:37 GMT"));
        org.junit.jupiter.api.Assertions.assertEquals(t, StoreHeaders.parseDate("Sun, 06 Nov 1994 08:49:37 GMT"));
        org.junit.jupiter.api.Assertions.assertEquals(t.plusSeconds(1),
                StoreHeaders.parseDate("Sun, 06 Nov 1994 08:49:38 GMT"));
        org.junit.jupiter.api.Assertions.assertNull(StoreHeaders.parseDate("not a date"));
        org.junit.jupiter.api.Assertions.assertEquals(t, StoreHeaders.parseDate("Sun, 06 Nov 1994 08:49:37 GMT"));
    }
}
