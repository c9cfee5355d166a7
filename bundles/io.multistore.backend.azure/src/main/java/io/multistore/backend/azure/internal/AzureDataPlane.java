package io.multistore.backend.azure.internal;

import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.multistore.lib.dataplane.BackendRequest;
import io.multistore.lib.dataplane.BackendResponse;
import io.multistore.lib.dataplane.HttpTransport;
import io.multistore.lib.dataplane.OutboundBody;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Azure backend's data plane: blob reads and writes (Get Blob, Get Blob Properties, Put Blob, Put Block, Append
 * Block) as single HTTP exchanges on the shared transport, signed with the SDK's own Shared Key signer
 * ({@link StorageSharedKeyCredential#generateAuthorizationHeader}) or carrying the SAS token, or unsigned for
 * public containers. No SDK pipeline, no Reactor, no Netty on this path.
 * <p>
 * Blob names are percent-encoded byte for byte except {@code /}, so hostile keys reach Azure as they were sent.
 */
final class AzureDataPlane {

    /** The REST version both planes speak: the SDK's own. */
    static final String VERSION = BlobServiceVersion.getLatest().getVersion();

    private final HttpTransport transport;
    private final StorageSharedKeyCredential sharedKey;
    private final Supplier<String> bearer;
    private final String sas;
    /** {@code https://account.blob.core.windows.net/container}, encoded. */
    private final String containerUrl;

    AzureDataPlane(HttpTransport transport, AzureStoreOptions options, StorageSharedKeyCredential sharedKey) {
        this(transport, options, sharedKey, null);
    }

    /**
     * @param bearer the bearer token of a bucket with an {@code auth_type}, asked for before each exchange, or
     *               {@code null}
     */
    AzureDataPlane(HttpTransport transport, AzureStoreOptions options, StorageSharedKeyCredential sharedKey,
            Supplier<String> bearer) {
        this.bearer = bearer;
        this.transport = transport;
        this.sharedKey = sharedKey;
        this.sas = sharedKey == null && !options.skipSignature() ? options.sasToken() : null;
        this.containerUrl = options.endpoint().toString() + "/" + encode(options.containerName());
    }

    /**
     * One exchange.
     *
     * @param blob    the blob name
     * @param query   the query, already encoded ({@code comp=block&blockid=…}), or {@code null}
     * @param headers headers to send (and sign)
     * @param body    the body, or {@code null}
     */
    BackendResponse send(String method, String blob, String query, Map<String, String> headers, OutboundBody body)
            throws IOException {
        StringBuilder url = new StringBuilder(containerUrl).append('/').append(encode(blob));
        if (query != null) {
            url.append('?').append(query);
        }
        Map<String, String> out = new HashMap<>(headers);
        out.put("x-ms-version", VERSION);
        out.put("x-ms-date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        if (bearer != null) {
            out.put("Authorization", "Bearer " + bearer.get());
        } else if (sharedKey != null) {
            Map<String, String> signed = new HashMap<>(out);
            // the signer reads Content-Length from this map (an absent one would sign as "null")
            signed.put("Content-Length", body == null ? "0" : Long.toString(body.length()));
            out.put("Authorization", sharedKey.generateAuthorizationHeader(
                    URI.create(url.toString()).toURL(), method, signed));
        } else if (sas != null) {
            url.append(query == null ? '?' : '&').append(sas);
        }
        return transport.send(new BackendRequest(method, URI.create(url.toString()), out, body));
    }

    /** Percent-encodes a blob or container name for a URL path, keeping {@code /}. */
    static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 16);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** A query parameter value, encoded. */
    static String queryValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
