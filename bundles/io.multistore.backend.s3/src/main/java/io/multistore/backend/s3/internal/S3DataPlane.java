package io.multistore.backend.s3.internal;

import io.multistore.lib.dataplane.BackendRequest;
import io.multistore.lib.dataplane.BackendResponse;
import io.multistore.lib.dataplane.HttpTransport;
import io.multistore.lib.dataplane.OutboundBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The S3 backend's data plane: object requests as single HTTP exchanges, built here, signed with the SDK's
 * standalone SigV4 signer and the credentials the control plane resolved, and sent by the shared transport.
 * <p>
 * Signing follows what the SDK's S3 client does for the same requests, so both planes look alike to a store: keys
 * are percent-encoded once (no double encoding, no path normalisation, so hostile keys reach the store byte for
 * byte); over https the payload is {@code UNSIGNED-PAYLOAD}; over plain http, where SigV4 requires a payload
 * signature, bodies are sent {@code aws-chunked} with signed chunks as they stream (never hashed up front).
 */
final class S3DataPlane {

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final HttpTransport transport;
    /** {@code null} for unsigned requests ({@code skip_signature}). */
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final String scheme;
    private final String host;
    private final int port;
    /** Encoded path before the key: {@code /bucket} (path style, after any endpoint path) or the endpoint path. */
    private final String pathPrefix;

    S3DataPlane(HttpTransport transport, AwsCredentialsProvider credentials, S3StoreOptions options) {
        this.transport = transport;
        this.credentials = options.skipSignature() && !options.hasStaticCredentials() ? null : credentials;
        this.region = options.region();
        URI endpoint = options.endpoint() != null ? options.endpoint() : awsEndpoint(options.region());
        this.scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        this.port = endpoint.getPort();
        String basePath = endpoint.getRawPath() == null ? "" : stripTrailingSlash(endpoint.getRawPath());
        if (options.virtualHosted()) {
            this.host = options.bucketName() + "." + endpoint.getHost();
            this.pathPrefix = basePath;
        } else {
            this.host = endpoint.getHost();
            this.pathPrefix = basePath + "/" + SdkHttpUtils.urlEncode(options.bucketName());
        }
    }

    /** AWS itself: the regional endpoint ({@code s3.REGION.amazonaws.com}, {@code .com.cn} in China). */
    static URI awsEndpoint(String region) {
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return URI.create("https://s3." + region + "." + suffix);
    }

    /**
     * One signed exchange.
     *
     * @param query   raw (not yet encoded) query parameters, or an empty map
     * @param headers headers to send and sign
     * @param body    the body, or {@code null}
     */
    BackendResponse send(SdkHttpMethod method, String key, Map<String, String> query, Map<String, String> headers,
            OutboundBody body) throws IOException {
        return send(method, key, query, headers, body, null);
    }

    /**
     * One signed exchange whose body carries a trailing checksum, computed by the signer as the body streams, where
     * the body is sent {@code aws-chunked} (plain http); over https no trailer is added.
     *
     * @param trailerChecksum {@code CRC32}, {@code CRC32C}, {@code SHA1} or {@code SHA256}, or {@code null}
     */
    BackendResponse send(SdkHttpMethod method, String key, Map<String, String> query, Map<String, String> headers,
            OutboundBody body, String trailerChecksum) throws IOException {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(method)
                .protocol(scheme)
                .host(host)
                .port(port)
                .encodedPath(pathPrefix + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key));
        query.forEach(request::putRawQueryParameter);
        headers.forEach(request::putHeader);
        if (body != null) {
            request.putHeader("Content-Length", Long.toString(body.length()));
        }
        if (credentials == null) {
            SdkHttpFullRequest unsigned = request.build();
            return transport.send(new BackendRequest(method.name(), unsigned.getUri(), flatten(unsigned), body));
        }
        AwsCredentials identity = credentials.resolveCredentials();
        ContentStreamProvider payload = body == null ? null : () -> {
            try {
                return body.newStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
                .request(request.build())
                .payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, body != null)
                .putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM,
                        body != null && !"https".equals(scheme) ? signerChecksum(trailerChecksum) : null));
        SdkHttpRequest out = signed.request();
        OutboundBody sent = body;
        if (body != null && signed.payload().isPresent() && !"https".equals(scheme)) {
            // aws-chunked: the wire length is the encoded one the signer put in Content-Length
            ContentStreamProvider encoded = signed.payload().get();
            long wireLength = Long.parseLong(out.firstMatchingHeader("Content-Length").orElseThrow());
            sent = body.encoded(wireLength, () -> openEncoded(encoded));
        }
        return transport.send(new BackendRequest(method.name(), out.getUri(), flatten(out), sent));
    }

    private static software.amazon.awssdk.checksums.spi.ChecksumAlgorithm signerChecksum(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "CRC32" -> DefaultChecksumAlgorithm.CRC32;
            case "CRC32C" -> DefaultChecksumAlgorithm.CRC32C;
            case "SHA1" -> DefaultChecksumAlgorithm.SHA1;
            case "SHA256" -> DefaultChecksumAlgorithm.SHA256;
            default -> null; // CRC64NVME needs the SDK's CRT, which is not shipped
        };
    }

    private static InputStream openEncoded(ContentStreamProvider encoded) throws IOException {
        try {
            return encoded.newStream();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Map<String, String> flatten(SdkHttpRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            List<String> values = h.getValue();
            if (!values.isEmpty()) {
                // as the signature covers them: values of a repeated header joined by commas (the chunk signer
                // appends aws-chunked to a Content-Encoding the client set)
                headers.put(h.getKey(), values.size() == 1 ? values.get(0) : String.join(",", values));
            }
        }
        return headers;
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
