package io.multistore.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import org.junit.jupiter.api.Test;

class JettyFrontEndTest {

    @Test
    void jettysRefusalsMapToS3Codes() {
        assertEquals(S3ErrorCode.RequestHeaderSectionTooLarge, JettyFrontEnd.errorFor(431, null).code());
        assertEquals(S3ErrorCode.RequestHeaderSectionTooLarge, JettyFrontEnd.errorFor(414, "URI Too Long").code());
        assertEquals(S3ErrorCode.InvalidURI, JettyFrontEnd.errorFor(400, "Bad UTF-8 encoding").code());
        assertEquals(S3ErrorCode.InvalidURI, JettyFrontEnd.errorFor(400, "Illegal Path Character").code());
        assertEquals(S3ErrorCode.InvalidURI, JettyFrontEnd.errorFor(400, "bad URI").code());
        assertEquals(S3ErrorCode.InvalidRequest, JettyFrontEnd.errorFor(400, "Duplicate Content-Length").code());
        assertEquals(S3ErrorCode.InvalidRequest, JettyFrontEnd.errorFor(400, null).code());
        assertEquals(S3ErrorCode.EntityTooLarge, JettyFrontEnd.errorFor(413, null).code());
        assertEquals(S3ErrorCode.InternalError, JettyFrontEnd.errorFor(500, "boom").code());
    }

    @Test
    void jettysReasonNeverReachesTheClient() {
        for (int status : new int[] {400, 408, 413, 414, 431, 500, 505}) {
            S3Exception e = JettyFrontEnd.errorFor(status, "org.eclipse.jetty.http.BadMessageException: 400: x");
            assertFalse(e.clientMessage().contains("jetty"), e.clientMessage());
        }
    }
}
