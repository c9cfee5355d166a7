package io.multistore.itests.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * HTTP/1.1 over a plain socket: the request goes out byte for byte as written (header values a client library would
 * re-spell included), and the response's header lines come back as received.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** One response: status, the header lines in order, the body. */
    record Response(int status, List<String[]> headers, byte[] body) {
        /** The value of the first header of that name (case-insensitive), exactly as sent, or null. */
        String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder().append(status);
            headers.forEach(h -> out.append("\n").append(h[0]).append(": ").append(h[1]));
            return out.append("\n\n").append(text()).toString();
        }
    }

    /**
     * Signs a request for {@code accessKey} over exactly the header values given (the signer trims them and folds
     * inner spaces, as SigV4 says) and returns the header lines to send, {@code Authorization} included. A name
     * given twice is two header lines, signed as one comma-joined value.
     */
    static List<String[]> signed(String method, URI uri, List<String[]> headers, byte[] body, String accessKey,
            String secret) {
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
                .putHeader("x-amz-content-sha256", sha256(body));
        for (String[] header : headers) {
            builder.appendHeader(header[0], header[1]);
        }
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secret)).request(builder.build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        List<String[]> lines = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            boolean given = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase(header.getKey()));
            if (!given) {
                lines.add(new String[] {header.getKey(), String.join(",", header.getValue())});
            }
        }
        lines.addAll(headers); // as given: the signer's copy may be trimmed
        return lines;
    }

    /** Sends a request on a new connection ({@code Connection: close}) and reads the whole response. */
    static Response send(int port, String method, String target, List<String[]> headers, byte[] body)
            throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
        boolean host = false;
        for (String[] header : headers) {
            host |= header[0].equalsIgnoreCase("Host");
            head.write((header[0] + ": " + header[1] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        if (!host) {
            head.write(("Host: 127.0.0.1:" + port + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        if (body.length > 0 || "PUT".equals(method) || "POST".equals(method)) {
            head.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        head.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return exchange(port, head.toByteArray(), body, false);
    }

    /**
     * Writes {@code head} and {@code body} as they are; with {@code halfClose} the client then stops sending (as
     * one whose upload was cut short) but still reads the answer.
     */
    static Response exchange(int port, byte[] head, byte[] body, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            return read(socket.getInputStream(), "HEAD".equals(new String(head, 0, 4, StandardCharsets.US_ASCII)));
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the server closed the connection without an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<String[]> headers = new ArrayList<>();
        long length = -1;
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            headers.add(new String[] {name, value});
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            }
        }
        byte[] body;
        if (head || status == 304 || status == 204) {
            body = new byte[0];
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    static String sha256(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
