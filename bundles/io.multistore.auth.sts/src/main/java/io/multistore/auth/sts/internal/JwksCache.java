package io.multistore.auth.sts.internal;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of each trusted issuer: discovery ({@code {iss}/.well-known/openid-configuration} →
 * {@code jwks_uri}) then the JWK set, over HTTPS only (plain {@code http://127.0.0.1}/{@code localhost} only when
 * explicitly allowed, for tests). Cached per issuer for a TTL; a {@code kid} the cached set lacks triggers one
 * refresh, at most once per {@code minRefreshInterval} per issuer, so a flood of bogus kids cannot hammer the IdP.
 * Fetches of one issuer are serialised: concurrent misses make one request.
 */
final class JwksCache {

    private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);
    /** Discovery documents and key sets are small; anything larger is refused unread. */
    static final int MAX_DOCUMENT_BYTES = 512 * 1024;

    private final HttpClient http;
    private final Duration ttl;
    private final Duration minRefreshInterval;
    private final boolean allowHttpLoopback;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();

    /** The keys of one issuer and when they were last fetched (or last tried). */
    private static final class Issuer {
        JWKSet keys;
        Instant fetchedAt;
        Instant lastAttempt;
        int fetches;
    }

    JwksCache(HttpClient http, Duration ttl, Duration minRefreshInterval, Duration timeout,
            boolean allowHttpLoopback, Clock clock) {
        this.http = http;
        this.ttl = ttl;
        this.minRefreshInterval = minRefreshInterval;
        this.timeout = timeout;
        this.allowHttpLoopback = allowHttpLoopback;
        this.clock = clock;
    }

    /**
     * The key with this id, fetching or refreshing the issuer's key set as the rules above allow.
     *
     * @throws StsException InvalidIdentityToken when the issuer cannot be used or has no such key
     */
    JWK key(String issuer, String kid) throws StsException {
        Issuer entry = issuers.computeIfAbsent(issuer, i -> new Issuer());
        synchronized (entry) {
            Instant now = clock.instant();
            boolean fresh = entry.keys != null && now.isBefore(entry.fetchedAt.plus(ttl));
            if (fresh) {
                JWK key = entry.keys.getKeyByKeyId(kid);
                if (key != null) {
                    return key;
                }
            }
            // stale, never fetched, or an unknown kid: fetch, unless we tried too recently
            if (entry.lastAttempt == null || !now.isBefore(entry.lastAttempt.plus(minRefreshInterval))) {
                entry.lastAttempt = now;
                entry.fetches++;
                try {
                    entry.keys = fetch(issuer);
                    entry.fetchedAt = now;
                } catch (StsException e) {
                    LOG.warn("Signing keys of OIDC issuer {} could not be fetched: {}", issuer, e.getMessage());
                    if (entry.keys == null) {
                        throw e;
                    }
                    // keep the last known keys: an IdP outage does not break tokens signed with them
                }
            } else if (entry.keys == null) {
                throw StsException.token("signing keys of issuer " + issuer
                        + " could not be fetched recently; retrying after backoff");
            }
            JWK key = entry.keys.getKeyByKeyId(kid);
            if (key == null) {
                throw StsException.token("key '" + kid + "' not found in JWKS");
            }
            return key;
        }
    }

    /** How many fetches were made for this issuer (tests and the console). */
    int fetchCount(String issuer) {
        Issuer entry = issuers.get(issuer);
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            return entry.fetches;
        }
    }

    private JWKSet fetch(String issuer) throws StsException {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI discovery = checkedUri(base + "/.well-known/openid-configuration", "issuer");
        String jwksUri;
        try {
            Map<String, Object> config = JSONObjectUtils.parse(get(discovery));
            jwksUri = JSONObjectUtils.getString(config, "jwks_uri");
        } catch (ParseException e) {
            throw StsException.token("invalid OIDC configuration of " + issuer);
        }
        if (jwksUri == null) {
            throw StsException.token("OIDC configuration of " + issuer + " has no jwks_uri");
        }
        try {
            JWKSet set = JWKSet.parse(get(checkedUri(jwksUri, "jwks_uri")));
            LOG.debug("Fetched {} signing keys of OIDC issuer {}", set.getKeys().size(), issuer);
            return set;
        } catch (ParseException e) {
            throw StsException.token("invalid JWKS of " + issuer);
        }
    }

    private URI checkedUri(String value, String what) throws StsException {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw StsException.token("OIDC " + what + " is not a URL: " + value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("https")) {
            return uri;
        }
        if (scheme.equals("http") && allowHttpLoopback && isLoopback(uri.getHost())) {
            return uri;
        }
        throw StsException.token("OIDC " + what + " must use HTTPS: " + value);
    }

    private static boolean isLoopback(String host) {
        return "127.0.0.1".equals(host) || "localhost".equalsIgnoreCase(host) || "[::1]".equals(host);
    }

    private String get(URI uri) throws StsException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw StsException.token("failed to fetch " + uri + ": HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
                if (bytes.length > MAX_DOCUMENT_BYTES) {
                    throw StsException.token("document at " + uri + " is larger than " + MAX_DOCUMENT_BYTES
                            + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw StsException.token("failed to fetch " + uri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StsException.token("interrupted while fetching " + uri);
        }
    }
}
