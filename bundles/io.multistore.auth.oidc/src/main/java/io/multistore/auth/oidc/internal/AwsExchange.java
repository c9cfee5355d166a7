package io.multistore.auth.oidc.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.AwsSessionCredential;
import io.multistore.api.auth.BackendCredential;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * AWS: {@code AssumeRoleWithWebIdentity} with the minted JWT, through the AWS SDK's STS client (the call is
 * unsigned: the JWT is the proof). STS's {@code AccessDenied} (the role's trust policy refuses the gateway) becomes
 * {@code AccessDenied}; anything else {@code ServiceUnavailable}.
 */
final class AwsExchange implements Exchange {

    private final StsClient sts;
    private final String roleArn;
    private final String sessionName;

    AwsExchange(StsClient sts, String roleArn, String subject) {
        this.sts = sts;
        this.roleArn = roleArn;
        this.sessionName = sessionName(subject);
    }

    @Override
    public BackendCredential exchange(String jwt) {
        try {
            AssumeRoleWithWebIdentityResponse response = sts.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn)
                    .roleSessionName(sessionName).webIdentityToken(jwt));
            Credentials c = response.credentials();
            if (c == null || c.expiration() == null) {
                throw FormExchanges.failure("AWS STS answered AssumeRoleWithWebIdentity for " + roleArn
                        + " without credentials");
            }
            return new AwsSessionCredential(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration());
        } catch (StsException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String detail = "AWS STS refused AssumeRoleWithWebIdentity for " + roleArn + ": HTTP " + e.statusCode()
                    + " " + code + " (" + (e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorMessage()) + ")";
            throw S3Exception.withDetail("AccessDenied".equals(code) ? S3ErrorCode.AccessDenied
                    : S3ErrorCode.ServiceUnavailable, null, detail);
        } catch (SdkException e) {
            throw FormExchanges.failure("AWS STS is unreachable for " + roleArn + ": " + e.getMessage());
        }
    }

    /**
     * The {@code RoleSessionName}: the subject with every character STS does not allow replaced by {@code _}, at
     * most 64 characters, {@code s3-proxy} if fewer than 2 remain (as multistore derives it).
     */
    static String sessionName(String subject) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < subject.length() && name.length() < 64; i++) {
            char c = subject.charAt(i);
            boolean allowed = c < 128 && (Character.isLetterOrDigit(c) || "+=,.@-_".indexOf(c) >= 0);
            name.append(allowed ? c : '_');
        }
        return name.length() < 2 ? "s3-proxy" : name.toString();
    }
}
