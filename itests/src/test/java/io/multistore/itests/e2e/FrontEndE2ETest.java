package io.multistore.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.testsupport.Await;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The HTTP front end through the distribution, over raw sockets: signatures over header values exactly as they
 * were sent, Content-Type stored and returned byte for byte, S3 error documents for what Jetty refuses before the
 * gateway runs, no Java internals in a message, and authentication failures an operator can read in the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontEndE2ETest {
    @TempDir
    static Path temp;

    LocalGateway gateway;
    MultistoreServer server;
    S3Client client;

    @BeforeAll
    void start() throws Exception {
        gateway = LocalGateway.start(temp, false, List.of("get_object", "head_object", "put_object", "delete_object", "list_bucket"), Map.of());
        server = gateway.server;
        client = gateway.client;
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private URI uri(String path) {
        return server.endpoint().resolve(path);
    }

    private RawHttp.Response signedSend(String method, String path, List<String[]> headers, byte[] body)
            throws Exception {
        return RawHttp.send(server.port(), method, path,
                RawHttp.signed(method, uri(path), headers, body, E2E.KEY, E2E.SECRET), body);
    }

    private static List<String[]> headers(String... nameValues) {
        List<String[]> list = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            list.add(new String[] {nameValues[i], nameValues[i + 1]});
        }
        return list;
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain; charset=utf-8", "TEXT/PLAIN", "application/json; charset=utf-8",
            "text/plain; charset=ISO-8859-1", "text/html;charset=utf-8", "Text/Plain;  Charset=\"UTF-8\"",
            "application/x-www-form-urlencoded; charset=UTF-8", "application/octet-stream"})
    void aSignatureOverTheContentTypeAsSentIsAcceptedAndTheValueComesBackAsSent(String contentType)
            throws Exception {
        byte[] body = ("content typed " + contentType).getBytes(StandardCharsets.UTF_8);
        String key = "/local/typed/" + Integer.toHexString(contentType.hashCode()) + ".txt";
        RawHttp.Response put = signedSend("PUT", key, headers("Content-Type", contentType), body);
        assertEquals(200, put.status(), put::toString);

        RawHttp.Response get = signedSend("GET", key, List.of(), new byte[0]);
        assertEquals(200, get.status(), get::toString);
        assertEquals(contentType, get.header("Content-Type"), get::toString);
        assertEquals(new String(body, StandardCharsets.UTF_8), get.text());

        RawHttp.Response head = signedSend("HEAD", key, List.of(), new byte[0]);
        assertEquals(200, head.status(), head::toString);
        assertEquals(contentType, head.header("Content-Type"), head::toString);

        // and through an SDK, which re-reads it from the same bytes
        assertEquals(contentType, client.headObject(b -> b.bucket("local").key(key.substring(7))).contentType());
    }

    @Test
    void repeatedAndOddlySpacedSignedHeadersVerify() throws Exception {
        byte[] body = "metadata".getBytes(StandardCharsets.UTF_8);
        RawHttp.Response put = signedSend("PUT", "/local/odd/headers",
                headers("Content-Type", "text/plain;   charset=utf-8", "x-amz-meta-colour", "Dark  Blue",
                        "x-custom-trace", "a", "x-custom-trace", "B  b", "Cache-Control", "No-Cache"),
                body);
        assertEquals(200, put.status(), put::toString);
        RawHttp.Response head = signedSend("HEAD", "/local/odd/headers", List.of(), new byte[0]);
        assertEquals("text/plain;   charset=utf-8", head.header("Content-Type"), head::toString);
    }

    @Test
    void aSignatureOverOtherBytesThanWereSentIsRefused() throws Exception {
        String path = "/local/mismatch.txt";
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        // signed over the normalised spelling, sent with the client's own: the bytes differ, so must the verdict
        List<String[]> lines = RawHttp.signed("PUT", uri(path), headers("Content-Type", "text/plain; charset=UTF-8"),
                body, E2E.KEY, E2E.SECRET);
        lines.removeIf(h -> h[0].equals("Content-Type"));
        lines.add(new String[] {"Content-Type", "text/plain; charset=utf-8"});
        RawHttp.Response put = RawHttp.send(server.port(), "PUT", path, lines, body);
        assertEquals(403, put.status(), put::toString);
        assertTrue(put.text().contains("<Code>SignatureDoesNotMatch</Code>"), put::toString);
    }

    @Test
    void whatJettyRefusesIsAnsweredWithS3ErrorDocuments() throws Exception {
        assertS3Error(raw("GET /local/a%ZZb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "InvalidURI");
        assertS3Error(raw("GET /local/a%C3%28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400,
                "InvalidURI");
        assertS3Error(raw("GET /local/a%C3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "InvalidURI");
        // the query Jetty passes on undecoded; the gateway's parser answers the same code
        assertS3Error(raw("GET /local?prefix=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400,
                "InvalidURI");
        String big = "a".repeat(64 * 1024);
        assertS3Error(raw("GET /local/a HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n"), 400,
                "RequestHeaderSectionTooLarge");
        assertS3Error(raw("GET /local/" + big + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400,
                "RequestHeaderSectionTooLarge");
        // a client's oversized request is not a warning for the operator
        assertFalse(server.log().contains("WARN org.eclipse.jetty.http.HttpParser"), server::log);
    }

    @Test
    void anAnswerSentBeforeTheBodyWasReadSaysTheConnectionWillClose() throws Exception {
        // refused before its body is read: the client waits for 100 Continue and has sent nothing yet
        RawHttp.Response refused = raw("PUT /local/early/refusal HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                + "Expect: 100-continue\r\n\r\n");
        assertS3Error(refused, 403, "AccessDenied");
        assertEquals("close", refused.header("Connection"), refused::toString);
        // the body already on its way: the rest of it would otherwise be read as the next request
        RawHttp.Response sent = RawHttp.exchange(server.port(), ("PUT /local/early/refusal HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 3\r\n\r\n").getBytes(StandardCharsets.US_ASCII), "abc".getBytes(
                        StandardCharsets.US_ASCII), false);
        assertS3Error(sent, 403, "AccessDenied");
        assertEquals("close", sent.header("Connection"), sent::toString);
        // a request without a body keeps its connection, error or not
        RawHttp.Response get = raw("GET /local/early/none HTTP/1.1\r\nHost: x\r\n\r\n");
        assertS3Error(get, 403, "AccessDenied");
        assertNull(get.header("Connection"), get::toString);
    }

    private RawHttp.Response raw(String request) throws Exception {
        return RawHttp.exchange(server.port(), request.getBytes(StandardCharsets.ISO_8859_1), new byte[0], false);
    }

    private static void assertS3Error(RawHttp.Response response, int status, String code) {
        assertEquals(status, response.status(), response::toString);
        assertEquals("application/xml", response.header("Content-Type"), response::toString);
        String requestId = response.header("x-amz-request-id");
        assertNotNull(requestId, response::toString);
        assertTrue(response.text().contains("<Code>" + code + "</Code>"), response::toString);
        assertTrue(response.text().contains("<RequestId>" + requestId + "</RequestId>"), response::toString);
        assertFalse(response.text().contains("<html"), response::toString);
    }

    @Test
    void anUploadCutShortIsAnsweredWithoutJavaInternals() throws Exception {
        String path = "/local/cut/short";
        List<String[]> lines = new ArrayList<>(E2E.signedPut(uri(path), 1000).entrySet().stream()
                .map(e -> new String[] {e.getKey(), e.getValue()}).toList());
        StringBuilder head = new StringBuilder("PUT " + path + " HTTP/1.1\r\n");
        lines.forEach(h -> head.append(h[0]).append(": ").append(h[1]).append("\r\n"));
        head.append("Content-Length: 1000\r\n\r\n");
        // 10 of the promised 1000 bytes, then the client stops sending (it still reads the answer)
        RawHttp.Response response = RawHttp.exchange(server.port(),
                head.toString().getBytes(StandardCharsets.US_ASCII), new byte[10], true);
        assertEquals(400, response.status(), response::toString);
        assertTrue(response.text().contains("<Code>IncompleteBody</Code>"), response::toString);
        for (String internal : List.of("org.eclipse", "Exception", "$", "java.", "jetty")) {
            assertFalse(response.text().contains(internal), response::toString);
        }
    }

    @Test
    void authenticationFailuresAreLoggedWithReasonAndRequestIdButNoSecret() throws Exception {
        String path = "/local/auth.txt";
        byte[] body = new byte[0];

        RawHttp.Response wrongKey = RawHttp.send(server.port(), "GET", path,
                RawHttp.signed("GET", uri(path), List.of(), body, E2E.KEY, "not-the-secret-0000000000000000000001"),
                body);
        assertEquals(403, wrongKey.status(), wrongKey::toString);
        assertLogged(wrongKey, "SignatureDoesNotMatch", "the signature does not match");

        RawHttp.Response unknown = RawHttp.send(server.port(), "GET", path,
                RawHttp.signed("GET", uri(path), List.of(), body, "AKIDUNKNOWN000000000", E2E.SECRET), body);
        assertEquals(403, unknown.status(), unknown::toString);
        assertLogged(unknown, "InvalidAccessKeyId", "no such access key");

        String skewed = ZonedDateTime.now(ZoneOffset.UTC).minusHours(2)
                .format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        List<String[]> lines = RawHttp.signed("GET", uri(path), List.of(), body, E2E.KEY, E2E.SECRET);
        lines.replaceAll(h -> h[0].equalsIgnoreCase("x-amz-date") ? new String[] {h[0], skewed} : h);
        RawHttp.Response skew = RawHttp.send(server.port(), "GET", path, lines, body);
        assertEquals(403, skew.status(), skew::toString);
        assertLogged(skew, "RequestTimeTooSkewed", "Request time " + skewed);

        String log = server.log();
        assertFalse(log.contains(E2E.SECRET), "a secret reached the log");
        assertFalse(log.contains("not-the-secret"), "a secret reached the log");
    }

    private void assertLogged(RawHttp.Response response, String code, String reason) {
        String requestId = response.header("x-amz-request-id");
        assertNotNull(requestId, response::toString);
        String marker = "Request " + requestId + " not authenticated";
        // the log line is written as the request ends: poll briefly for it
        Await.waitFor(Duration.ofSeconds(10), () -> server.log().contains(marker), marker);
        String line = server.log().lines().filter(l -> l.contains(marker)).findFirst().orElseThrow();
        assertTrue(line.contains(" INFO "), line);
        assertTrue(line.contains(code), line);
        assertTrue(line.contains(reason), line);
    }
}
