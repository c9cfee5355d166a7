package io.multistore.itests.e2e;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** AWS SDK v2 clients as users configure them against an S3-compatible endpoint. */
final class Clients {
    private Clients() {
    }

    /** Path-style client ({@code http://host:port/bucket/key}). */
    static S3Client pathStyle(URI endpoint, String accessKey, String secretKey) {
        return build(endpoint, credentials(accessKey, secretKey), true);
    }

    /**
     * Virtual-hosted-style client: the SDK puts the bucket into the host name ({@code bucket.s3.test}); every such
     * name resolves to the loopback address, as wildcard DNS would in production.
     */
    static S3Client virtualHosted(String domain, int port, String accessKey, String secretKey) {
        return build(URI.create("http://" + domain + ":" + port), credentials(accessKey, secretKey), false);
    }

    static S3Client anonymous(URI endpoint) {
        return build(endpoint, AnonymousCredentialsProvider.create(), true);
    }

    private static AwsCredentialsProvider credentials(String accessKey, String secretKey) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    private static S3Client build(URI endpoint, AwsCredentialsProvider credentials, boolean pathStyle) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle)
                .httpClient(ApacheHttpClient.builder()
                        .dnsResolver(host -> new InetAddress[] {InetAddress.getLoopbackAddress()})
                        .socketTimeout(Duration.ofMinutes(2))
                        .build())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }
}
