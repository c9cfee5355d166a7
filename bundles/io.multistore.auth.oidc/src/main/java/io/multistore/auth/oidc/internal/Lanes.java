package io.multistore.auth.oidc.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.BearerToken;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Which cloud a bucket federates with, read from its {@code backend_type} and {@code backend_options}: the subject
 * and audience of the JWT, the exchange, and the cache key — (cloud, endpoint, identity, subject), so buckets sharing
 * a role share its credentials and two subjects never share one.
 */
final class Lanes {

    static final String AWS_AUDIENCE = "sts.amazonaws.com";
    static final String AZURE_AUDIENCE = "api://AzureADTokenExchange";
    static final String AZURE_AUTHORITY = "https://login.microsoftonline.com";
    static final String AZURE_SCOPE = "https://storage.azure.com/.default";
    static final String GOOGLE_STS = "https://sts.googleapis.com/v1/token";
    static final String GOOGLE_IAM = "https://iamcredentials.googleapis.com";
    static final String GOOGLE_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    /** One bucket's federation. */
    record Lane(String cacheKey, String subject, String audience, Exchange exchange, String identity) {
    }

    private final String defaultSubject;
    private final FormExchanges http;
    /** The STS client for (region, endpoint or null). */
    private final BiFunction<String, URI, StsClient> sts;
    private final Clock clock;

    Lanes(String defaultSubject, FormExchanges http, BiFunction<String, URI, StsClient> sts, Clock clock) {
        this.defaultSubject = defaultSubject;
        this.http = http;
        this.sts = sts;
        this.clock = clock;
    }

    /**
     * @throws S3Exception {@code ServiceUnavailable} for options that cannot work (the detail names the missing one)
     */
    Lane of(BucketConfig bucket) {
        String subject = bucket.option("oidc_subject").orElse(defaultSubject);
        String type = bucket.backendType().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "s3" -> aws(bucket, subject);
            case "az", "azure" -> azure(bucket, subject);
            case "gcs", "gs" -> google(bucket, subject);
            default -> throw invalid(bucket, "auth_type 'oidc' is not available for backend_type '" + type + "'");
        };
    }

    private Lane aws(BucketConfig bucket, String subject) {
        String role = required(bucket, "oidc_role_arn");
        String region = bucket.option("region").orElse("us-east-1");
        URI endpoint = bucket.option("sts_endpoint").map(e -> uri(bucket, "sts_endpoint", e)).orElse(null);
        String audience = bucket.option("oidc_audience").orElse(AWS_AUDIENCE);
        return new Lane(key("aws", region + " " + endpoint, role, subject, audience), subject, audience,
                new AwsExchange(sts.apply(region, endpoint), role, subject), role);
    }

    private Lane azure(BucketConfig bucket, String subject) {
        String tenant = required(bucket, "tenant_id", "azure_tenant_id", "azure_storage_tenant_id", "authority_id");
        String client = required(bucket, "client_id", "azure_client_id", "azure_storage_client_id");
        String authority = first(bucket, "authority_host", "azure_authority_host", "azure_storage_authority_host")
                .orElse(AZURE_AUTHORITY).replaceAll("/+$", "");
        URI token = uri(bucket, "authority_host", authority + "/" + tenant + "/oauth2/v2.0/token");
        String audience = bucket.option("oidc_audience").orElse(AZURE_AUDIENCE);
        Exchange exchange = jwt -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "client_credentials");
            form.put("client_id", client);
            form.put("scope", AZURE_SCOPE);
            form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            form.put("client_assertion", jwt);
            String what = "Microsoft Entra (client " + client + ")";
            Map<String, Object> answer = http.postForm(token, form, what);
            Instant now = clock.instant();
            return new BearerToken(FormExchanges.string(answer, "access_token", what),
                    now.plusSeconds(FormExchanges.seconds(answer, "expires_in", what)));
        };
        return new Lane(key("azure", token.toString(), client, subject, audience), subject, audience, exchange,
                "client " + client + " of tenant " + tenant);
    }

    private Lane google(BucketConfig bucket, String subject) {
        String provider = required(bucket, "oidc_workload_identity_provider")
                .replaceFirst("^(https:)?//iam\\.googleapis\\.com/", "");
        if (!provider.startsWith("projects/")) {
            throw invalid(bucket, "oidc_workload_identity_provider must be projects/NUMBER/locations/global/"
                    + "workloadIdentityPools/POOL/providers/PROVIDER");
        }
        URI stsEndpoint = uri(bucket, "sts_endpoint", bucket.option("sts_endpoint").orElse(GOOGLE_STS));
        Optional<String> account = bucket.option("oidc_service_account");
        String iam = bucket.option("oidc_iam_endpoint").orElse(GOOGLE_IAM).replaceAll("/+$", "");
        URI impersonate = account.map(a -> uri(bucket, "oidc_iam_endpoint",
                iam + "/v1/projects/-/serviceAccounts/" + a + ":generateAccessToken")).orElse(null);
        // Google's default for a provider without allowed audiences: its full resource URL
        String audience = bucket.option("oidc_audience").orElse("https://iam.googleapis.com/" + provider);
        Exchange exchange = jwt -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
            form.put("audience", "//iam.googleapis.com/" + provider);
            form.put("scope", GOOGLE_SCOPE);
            form.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
            form.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
            form.put("subject_token", jwt);
            String what = "Google STS (" + provider + ")";
            Map<String, Object> answer = http.postForm(stsEndpoint, form, what);
            Instant now = clock.instant();
            String federated = FormExchanges.string(answer, "access_token", what);
            if (impersonate == null) {
                return new BearerToken(federated, now.plusSeconds(FormExchanges.seconds(answer, "expires_in", what)));
            }
            String iamWhat = "Google IAM Credentials (" + account.get() + ")";
            Map<String, Object> token = http.postJson(impersonate, federated,
                    Map.of("scope", List.of(GOOGLE_SCOPE), "lifetime", "3600s"), iamWhat);
            try {
                return new BearerToken(FormExchanges.string(token, "accessToken", iamWhat),
                        Instant.parse(FormExchanges.string(token, "expireTime", iamWhat)));
            } catch (java.time.format.DateTimeParseException e) {
                throw FormExchanges.failure(iamWhat + " answered an unreadable expireTime");
            }
        };
        return new Lane(key("gcp", stsEndpoint + " " + impersonate, provider, subject, audience), subject, audience,
                exchange, account.map(a -> "service account " + a).orElse("provider " + provider));
    }

    private static String key(String... parts) {
        return String.join("\u001f", parts);
    }

    private static String required(BucketConfig bucket, String... names) {
        return first(bucket, names).orElseThrow(() -> invalid(bucket, "auth_type 'oidc' needs the backend option "
                + names[0]));
    }

    private static Optional<String> first(BucketConfig bucket, String... names) {
        for (String name : names) {
            Optional<String> value = bucket.option(name);
            if (value.isPresent()) {
                return value.map(String::trim);
            }
        }
        return Optional.empty();
    }

    private static URI uri(BucketConfig bucket, String option, String value) {
        try {
            URI uri = URI.create(value.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw invalid(bucket, "backend option " + option + " is not an absolute URL: " + value);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(bucket, "backend option " + option + " is not a URL: " + value);
        }
    }

    private static S3Exception invalid(BucketConfig bucket, String message) {
        return S3Exception.withDetail(S3ErrorCode.ServiceUnavailable, null, "bucket " + bucket.name() + ": " + message);
    }
}
