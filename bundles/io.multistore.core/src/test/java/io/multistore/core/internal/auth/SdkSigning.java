package io.multistore.core.internal.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Signs requests with the AWS SDK's own SigV4 signer and turns them into what the gateway sees on the wire. */
final class SdkSigning {

    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /** A signed request and the body bytes as they go on the wire. */
    record Wire(io.multistore.core.internal.auth.SignedRequest request, byte[] body) {

        InputStream bodyStream() {
            return new ByteArrayInputStream(body);
        }

        Wire withRequest(io.multistore.core.internal.auth.SignedRequest replaced) {
            return new Wire(replaced, body);
        }

        Wire withBody(byte[] replaced) {
            return new Wire(request, replaced);
        }

        Wire withHeader(String name, String value) {
            Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, List.of(value));
            }
            return withRequest(new io.multistore.core.internal.auth.SignedRequest(request.method(),
                    request.rawPath(), request.rawQuery(), headers));
        }

        Wire withMethod(String method) {
            return withRequest(new io.multistore.core.internal.auth.SignedRequest(method, request.rawPath(),
                    request.rawQuery(), request.headers()));
        }

        Wire withPath(String rawPath) {
            return withRequest(new io.multistore.core.internal.auth.SignedRequest(request.method(), rawPath,
                    request.rawQuery(), request.headers()));
        }

        Wire withQuery(String rawQuery) {
            return withRequest(new io.multistore.core.internal.auth.SignedRequest(request.method(),
                    request.rawPath(), rawQuery, request.headers()));
        }
    }

    private SdkSigning() {
    }

    static SdkHttpFullRequest.Builder request(SdkHttpMethod method, String encodedPath) {
        return SdkHttpFullRequest.builder().method(method).uri(URI.create("http://127.0.0.1:9000"))
                .encodedPath(encodedPath);
    }

    /** Signs with the S3 flavour of SigV4 (no double encoding, no normalisation, signed payload header). */
    static Wire sign(SdkHttpFullRequest.Builder builder, byte[] payload, Clock clock,
            AwsCredentialsIdentity identity, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
        if (payload != null) {
            builder.putHeader("Content-Length", Integer.toString(payload.length));
        }
        SdkHttpFullRequest httpRequest = builder.build();
        SignRequest.Builder<AwsCredentialsIdentity> sign = SignRequest.builder(identity)
                .request(httpRequest)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-central-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock);
        if (payload != null) {
            sign.payload(ContentStreamProvider.fromByteArray(payload));
        }
        if (extra != null) {
            extra.accept(sign);
        }
        @SuppressWarnings("unchecked")
        SignRequest<AwsCredentialsIdentity> signRequest = (SignRequest<AwsCredentialsIdentity>) sign.build();
        SignedRequest signed = SIGNER.sign(signRequest);
        byte[] body = new byte[0];
        if (signed.payload().isPresent()) {
            try (InputStream in = signed.payload().get().newStream()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Wire(toWire(signed.request()), body);
    }

    static Wire sign(SdkHttpFullRequest.Builder builder, byte[] payload, Clock clock) {
        return sign(builder, payload, clock, AwsCredentialsIdentity.create(ACCESS_KEY, SECRET), null);
    }

    static Wire signSession(SdkHttpFullRequest.Builder builder, Clock clock, String accessKey, String secret,
            String token) {
        return sign(builder, new byte[0], clock, AwsSessionCredentialsIdentity.create(accessKey, secret, token),
                null);
    }

    /** What the gateway's front end would hand over: the URI as sent and lower-case headers, Host included. */
    static io.multistore.core.internal.auth.SignedRequest toWire(SdkHttpRequest request) {
        URI uri = request.getUri();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.forEachHeader((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        headers.putIfAbsent("host", List.of(uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")));
        return new io.multistore.core.internal.auth.SignedRequest(request.method().name(), uri.getRawPath(),
                uri.getRawQuery(), headers);
    }
}
