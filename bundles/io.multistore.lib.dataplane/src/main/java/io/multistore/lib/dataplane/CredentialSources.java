package io.multistore.lib.dataplane;

import io.multistore.api.BucketConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.auth.BackendCredential;
import io.multistore.api.auth.BackendCredentialSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's view of the {@link BackendCredentialSource} services, by {@code auth_type}: the backend binds them
 * through a dynamic, multiple reference and delegates here; its stores ask for a credential before every request,
 * so a source deployed or replaced while the gateway runs is used from the next request on. A bucket whose
 * {@code auth_type} has no source answers 503 naming what is missing, and is never served with other credentials.
 *
 * @since 1.2
 */
public final class CredentialSources {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialSources.class);

    private volatile Map<String, BackendCredentialSource> sources = Map.of();
    /** Buckets whose missing source was reported (once each, until a source is bound). */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** Binds a source registered with {@value BackendCredentialSource#AUTH_TYPE}. */
    public synchronized void add(BackendCredentialSource source, Map<String, ?> properties) {
        Object type = properties.get(BackendCredentialSource.AUTH_TYPE);
        if (type != null) {
            Map<String, BackendCredentialSource> next = new HashMap<>(sources);
            next.put(type.toString(), source);
            sources = Map.copyOf(next);
            reported.clear();
        }
    }

    /** Unbinds a source, unless another one has since taken its {@code auth_type}. */
    public synchronized void remove(BackendCredentialSource source, Map<String, ?> properties) {
        Object type = properties.get(BackendCredentialSource.AUTH_TYPE);
        if (type != null && sources.get(type.toString()) == source) {
            Map<String, BackendCredentialSource> next = new HashMap<>(sources);
            next.remove(type.toString());
            sources = Map.copyOf(next);
        }
    }

    /** The {@code auth_type} a bucket asks for, if any. */
    public static Optional<String> authType(BucketConfig bucket) {
        return bucket.option("auth_type");
    }

    /**
     * The credential of a bucket with an {@code auth_type}, from the source serving it.
     *
     * @throws S3Exception {@code ServiceUnavailable} naming the missing module when no source serves the
     *                     {@code auth_type}, or whatever the source throws
     */
    public BackendCredential credential(BucketConfig bucket) {
        String type = authType(bucket).orElseThrow(() -> new IllegalArgumentException(
                "bucket " + bucket.name() + " has no auth_type"));
        BackendCredentialSource source = sources.get(type);
        if (source == null) {
            Missing missing = new Missing("Bucket '" + bucket.name() + "' needs auth_type '" + type + "', which needs "
                    + ("oidc".equals(type) ? "the OIDC backend-auth bundle (io.multistore.auth.oidc) with "
                            + "OIDC_PROVIDER_KEY and OIDC_PROVIDER_ISSUER" : "a backend credential source for it")
                    + "; none is installed");
            if (reported.add(bucket.name())) {
                LOG.warn("{}: its requests answer 503", missing.getMessage());
            }
            throw missing;
        }
        return source.credential(bucket);
    }

    /** A 503 whose message the client may read: it names a missing module, nothing secret. */
    static final class Missing extends S3Exception {
        private static final long serialVersionUID = 1L;

        Missing(String message) {
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
