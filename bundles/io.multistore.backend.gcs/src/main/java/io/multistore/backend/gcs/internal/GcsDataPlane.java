package io.multistore.backend.gcs.internal;

import com.google.auth.Credentials;
import io.multistore.lib.dataplane.BackendRequest;
import io.multistore.lib.dataplane.BackendResponse;
import io.multistore.lib.dataplane.HttpTransport;
import io.multistore.lib.dataplane.OutboundBody;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The GCS backend's data plane: object bodies as single HTTP exchanges on the shared transport, with the OAuth2
 * bearer token of the control plane's credentials (none for {@code skip_signature}).
 * <p>
 * Reads (GET, HEAD) use the XML API's object URL ({@code ENDPOINT/BUCKET/KEY}), whose answer carries everything an
 * S3 answer needs in its headers (size, {@code x-goog-hash}, {@code x-goog-generation}, content headers,
 * {@code x-goog-meta-*}), so a GET is one exchange. Writes use the JSON API's media upload
 * ({@code ENDPOINT/upload/storage/v1/b/BUCKET/o}): a {@code multipart/related} body (metadata, then the bytes as they
 * stream) for a body of known length, a resumable session for one of unknown length; both answer with the object
 * resource, and both take {@code ifGenerationMatch} for atomic conditional writes.
 * <p>
 * Keys are percent-encoded byte for byte (every byte but {@code A-Z a-z 0-9 - _ ~}, and {@code /} in object paths),
 * so no client or server normalises a hostile key ({@code a//b}, {@code x/./y}) into another.
 */
final class GcsDataPlane {

    private final HttpTransport transport;
    /** {@code null}: unauthenticated requests. */
    private final Credentials credentials;
    private final String base;
    private final String bucketPath;

    GcsDataPlane(HttpTransport transport, Credentials credentials, URI endpoint, String bucket) {
        this.transport = transport;
        this.credentials = credentials;
        this.base = endpoint.toString().replaceAll("/+$", "");
        this.bucketPath = encode(bucket, false);
    }

    /** The XML API URL of an object. */
    URI objectUri(String key) {
        return URI.create(base + "/" + bucketPath + "/" + encode(key, true));
    }

    /** The JSON API upload URL with raw (unencoded) query parameters. */
    URI uploadUri(Map<String, String> query) {
        StringBuilder uri = new StringBuilder(base).append("/upload/storage/v1/b/").append(bucketPath).append("/o");
        char separator = '?';
        for (Map.Entry<String, String> q : query.entrySet()) {
            uri.append(separator).append(encode(q.getKey(), false)).append('=').append(encode(q.getValue(), false));
            separator = '&';
        }
        return URI.create(uri.toString());
    }

    /**
     * One exchange, authorised with the credentials' current access token (refreshed by the credentials when it
     * expires).
     */
    BackendResponse send(String method, URI uri, Map<String, String> headers, OutboundBody body)
            throws IOException {
        Map<String, String> all = new HashMap<>(headers);
        if (credentials != null) {
            Map<String, List<String>> metadata = credentials.getRequestMetadata(uri);
            for (Map.Entry<String, List<String>> e : metadata.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    all.put(e.getKey(), e.getValue().get(0));
                }
            }
        }
        if (body != null) {
            all.put("Content-Length", Long.toString(body.length()));
        }
        return transport.send(new BackendRequest(method, uri, all, body));
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Percent-encodes UTF-8 bytes; unreserved characters but {@code .} stay, and {@code /} when asked. */
    static String encode(String text, boolean keepSlash) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '~' || keepSlash && c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
