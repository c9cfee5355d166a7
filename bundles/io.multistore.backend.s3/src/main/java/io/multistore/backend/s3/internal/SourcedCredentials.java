package io.multistore.backend.s3.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.AwsSessionCredential;
import io.multistore.api.auth.BackendCredential;
import io.multistore.lib.dataplane.CredentialSources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The credentials of a bucket with an {@code auth_type}, asked of its {@link CredentialSources source} whenever
 * either plane signs: the source caches and refreshes them, so both planes always sign with a current set. Failures
 * are the source's {@link S3Exception}s, which both planes pass on unchanged.
 */
final class SourcedCredentials implements AwsCredentialsProvider {

    private final CredentialSources sources;
    private final BucketConfig bucket;
    /** The last conversion, reused while the source hands out the same credential. */
    private volatile Converted last;

    private record Converted(AwsSessionCredential from, AwsCredentials to) {
    }

    SourcedCredentials(CredentialSources sources, BucketConfig bucket) {
        this.sources = sources;
        this.bucket = bucket;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        BackendCredential credential = sources.credential(bucket);
        if (!(credential instanceof AwsSessionCredential aws)) {
            throw S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null, "bucket " + bucket.name()
                    + ": its auth_type source supplied " + credential.getClass().getSimpleName()
                    + ", not AWS credentials");
        }
        Converted seen = last;
        if (seen != null && seen.from() == aws) {
            return seen.to();
        }
        AwsCredentials converted = aws.sessionToken() == null
                ? AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())
                : AwsSessionCredentials.builder().accessKeyId(aws.accessKeyId())
                .secretAccessKey(aws.secretAccessKey()).sessionToken(aws.sessionToken())
                .expirationTime(aws.expiresAt()).build();
        last = new Converted(aws, converted);
        return converted;
    }

    @Override
    public String toString() {
        return "SourcedCredentials[bucket=" + bucket.name() + "]";
    }
}
