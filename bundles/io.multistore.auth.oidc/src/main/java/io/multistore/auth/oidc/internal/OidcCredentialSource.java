package io.multistore.auth.oidc.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.AuthType;
import io.multistore.api.auth.BackendCredential;
import io.multistore.api.auth.BackendCredentialSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/**
 * {@code auth_type = "oidc"}: for each bucket, a JWT minted with the provider key ({@code iss} = the issuer,
 * {@code sub} = {@code oidc_subject}, {@code aud} per cloud) is exchanged with the cloud — AWS STS, Microsoft Entra,
 * or Google STS (then IAM Credentials when a service account is named) — for the temporary credential the backend
 * signs with. Credentials are cached per (cloud, identity, subject) and renewed before expiry, one exchange at a
 * time ({@link CredentialCache}). Without a key and an issuer every such bucket answers 503 saying so; a failed
 * exchange answers 503 (or 403 when AWS denies the role) and is logged once, naming bucket and identity, until the
 * exchange works again.
 */
@Component(service = BackendCredentialSource.class, configurationPid = {OidcConfig.CLI_PID, OidcConfig.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@AuthType("oidc")
public final class OidcCredentialSource implements BackendCredentialSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OidcCredentialSource.class);
    private static final int MAX_LANES = 1024;

    private final JwtMinter minter;
    private final Lanes lanes;
    private final CredentialCache cache;
    private final Duration timeout;
    private final Map<BucketConfig, Lanes.Lane> resolved = new ConcurrentHashMap<>();
    private final Map<String, StsClient> stsClients = new ConcurrentHashMap<>();
    /** Cache keys whose last exchange failed: logged at ERROR once, then quietly until one succeeds. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private volatile SdkHttpClient stsHttp;

    /**
     * @throws IllegalArgumentException for a malformed key or issuer: SCR refuses the component and logs why
     */
    @Activate
    public OidcCredentialSource(OidcConfig config) {
        this(config, Clock.systemUTC());
    }

    OidcCredentialSource(OidcConfig config, Clock clock) {
        this.timeout = Duration.ofSeconds(Math.max(1, config.exchange__timeout__secs()));
        boolean hasKey = !config.provider__key().isBlank();
        boolean hasIssuer = !config.issuer().isBlank();
        if (hasKey && hasIssuer) {
            ProviderKeys keys = ProviderKeys.parse(config.provider__key(), config.provider__key__previous());
            this.minter = new JwtMinter(keys, Issuers.validate(config.issuer()),
                    Duration.ofSeconds(Math.max(30, config.jwt__lifetime__secs())), clock);
            LOG.info("OIDC provider {} signs with key {} ({} published)", minter.issuer(), keys.signing().getKeyID(),
                    keys.published().size());
        } else {
            this.minter = null;
            if (hasKey != hasIssuer) {
                LOG.warn("OIDC backend auth needs both OIDC_PROVIDER_KEY and OIDC_PROVIDER_ISSUER; only {} is set: "
                        + "auth_type = \"oidc\" buckets answer 503", hasKey ? "the key" : "the issuer");
            }
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.lanes = new Lanes(config.default__subject(), new FormExchanges(http, timeout), this::sts, clock);
        this.cache = new CredentialCache(Duration.ofSeconds(Math.max(0, config.refresh__lead__secs())),
                timeout.multipliedBy(2), clock);
    }

    @Override
    public BackendCredential credential(BucketConfig bucket) {
        if (minter == null) {
            Unconfigured e = new Unconfigured("Bucket '" + bucket.name() + "' needs auth_type 'oidc', which needs "
                    + "OIDC_PROVIDER_KEY and OIDC_PROVIDER_ISSUER; they are not configured");
            if (failing.add("unconfigured " + bucket.name())) {
                LOG.warn("{}: its requests answer 503", e.getMessage());
            }
            throw e;
        }
        Lanes.Lane lane = resolved.get(bucket);
        if (lane == null) {
            lane = lanes.of(bucket);
            if (resolved.size() >= MAX_LANES) {
                resolved.clear();
            }
            resolved.put(bucket, lane);
        }
        Lanes.Lane chosen = lane;
        return cache.get(lane.cacheKey(), () -> exchange(bucket, chosen));
    }

    private BackendCredential exchange(BucketConfig bucket, Lanes.Lane lane) {
        try {
            BackendCredential credential = lane.exchange().exchange(minter.mint(lane.subject(), lane.audience()));
            if (failing.remove(lane.cacheKey())) {
                LOG.info("OIDC credential exchange for bucket '{}' ({}) works again", bucket.name(), lane.identity());
            } else {
                LOG.debug("OIDC credential exchange for bucket '{}' ({}): {}", bucket.name(), lane.identity(),
                        credential);
            }
            return credential;
        } catch (S3Exception e) {
            if (failing.add(lane.cacheKey())) {
                LOG.error("OIDC credential exchange for bucket '{}' ({}, subject '{}') failed: {}; its requests "
                        + "answer {} until it works", bucket.name(), lane.identity(), lane.subject(),
                        e.detail() == null ? e.getMessage() : e.detail(), e.status());
            } else {
                LOG.debug("OIDC credential exchange for bucket '{}' still fails: {}", bucket.name(), e.detail());
            }
            throw e;
        }
    }

    private StsClient sts(String region, URI endpoint) {
        return stsClients.computeIfAbsent(region + " " + endpoint, k -> {
            StsClientBuilder builder = StsClient.builder().region(Region.of(region)).httpClient(stsHttp())
                    .credentialsProvider(AnonymousCredentialsProvider.create())
                    // the credential cache backs off; retries here would only hold callers longer
                    .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())
                            .apiCallTimeout(timeout));
            if (endpoint != null) {
                builder.endpointOverride(endpoint);
            }
            return builder.build();
        });
    }

    private synchronized SdkHttpClient stsHttp() {
        if (stsHttp == null) {
            stsHttp = ApacheHttpClient.builder().maxConnections(16).connectionTimeout(timeout)
                    .socketTimeout(timeout).build();
        }
        return stsHttp;
    }

    /** Releases the STS clients (DS calls it when the component is deactivated). */
    @Override
    @Deactivate
    public void close() {
        stsClients.values().forEach(StsClient::close);
        stsClients.clear();
        SdkHttpClient http = stsHttp;
        if (http != null) {
            http.close();
        }
    }

    /** A 503 whose message the client may read: it names missing settings, nothing secret. */
    static final class Unconfigured extends S3Exception {
        private static final long serialVersionUID = 1L;

        Unconfigured(String message) {
            super(S3ErrorCode.ServiceUnavailable, message);
        }

        @Override
        public String clientMessage() {
            return getMessage();
        }

        @Override
        public boolean reported() {
            return true; // logged once per bucket where it is thrown
        }
    }
}
