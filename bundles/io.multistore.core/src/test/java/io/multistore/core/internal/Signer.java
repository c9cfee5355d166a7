package io.multistore.core.internal;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.AwsS3V4Signer;
import software.amazon.awssdk.auth.signer.params.AwsS3V4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/** Signs test requests the way the AWS SDK signs S3 requests, and turns them into exchanges. */
final class Signer {

    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private Signer() {
    }

    /**
     * @param encodedPath percent-encoded path
     * @param query       decoded query parameters (the SDK encodes them)
     */
    static MemoryExchange signed(String method, String encodedPath, Map<String, String> query,
            Map<String, String> headers, byte[] body) {
        return signed(ACCESS_KEY, SECRET_KEY, method, encodedPath, query, headers, body);
    }

    /** Signed with another key pair. */
    @SuppressWarnings("deprecation")
    static MemoryExchange signed(String accessKey, String secretKey, String method, String encodedPath,
            Map<String, String> query, Map<String, String> headers, byte[] body) {
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(URI.create("http://localhost:8080")).encodedPath(encodedPath);
        query.forEach(b::putRawQueryParameter);
        headers.forEach(b::putHeader);
        if (body != null) {
            b.putHeader("Content-Length", Integer.toString(body.length));
            b.contentStreamProvider(() -> new ByteArrayInputStream(body));
        }
        AwsS3V4SignerParams params = AwsS3V4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(accessKey, secretKey)).signingName("s3")
                .signingRegion(Region.US_EAST_1).enablePayloadSigning(true).doubleUrlEncode(false).build();
        SdkHttpFullRequest signed = AwsS3V4Signer.create().sign(b.build(), params);
        MemoryExchange ex = new MemoryExchange(method, signed.encodedPath(),
                signed.encodedQueryParameters().orElse(null));
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            for (String v : h.getValue()) {
                if (h.getKey().equalsIgnoreCase("Host")) {
                    ex.replaceHeader("Host", v);
                } else {
                    ex.header(h.getKey(), v);
                }
            }
        }
        if (body != null) {
            ex.body(body);
        }
        return ex;
    }
}
