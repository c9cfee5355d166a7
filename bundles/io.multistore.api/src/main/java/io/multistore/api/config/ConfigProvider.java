package io.multistore.api.config;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of buckets, roles and long-lived credentials (a TOML file, an HTTP control plane, DynamoDB, PostgreSQL).
 * <p>
 * Register it with {@link #SOURCE} naming the source; the gateway is wired to one provider by a reference target on
 * that property. Lookups may block on I/O: the gateway puts its cache in front. A provider that cannot reach its
 * store throws {@link io.multistore.api.S3Exception} with {@code ServiceUnavailable}; an absent record is an empty
 * result, never an exception. A record the store holds but that is not valid is rejected alone (logged, and looked
 * up as absent); the others keep serving.
 * <p>
 * A provider whose store announces changes implements {@link #addChangeListener} and
 * {@link #removeChangeListener}; the others inherit the defaults, which announce nothing (caches then rely on
 * their TTL).
 */
@ConsumerType
public interface ConfigProvider {

    /** Service property naming the source: {@code file}, {@code http}, {@code dynamodb}, {@code postgres}. */
    String SOURCE = "multistore.config.source";

    /**
     * Service property {@code true} on the one provider the core publishes as the active configuration: it
     * delegates to whichever provider the gateway is bound to (ServiceUnavailable while none is), so auth modules
     * reference {@code (multistore.config.active=true)} and look roles and credentials up where the gateway does,
     * without repeating its target filter. It carries no {@link #SOURCE}.
     *
     * @since 1.1
     */
    String ACTIVE = "multistore.config.active";

    /** The filter that selects the active configuration. */
    String ACTIVE_FILTER = "(" + ACTIVE + "=true)";

    Optional<BucketConfig> bucket(String name);

    List<BucketConfig> buckets();

    Optional<RoleConfig> role(String roleId);

    Optional<StoredCredential> credential(String accessKeyId);

    /**
     * Starts telling {@code listener} about changes in the store. The default announces nothing.
     *
     * @since 1.1
     */
    default void addChangeListener(ConfigChangeListener listener) {
    }

    /**
     * Stops telling {@code listener} about changes; unknown listeners are ignored.
     *
     * @since 1.1
     */
    default void removeChangeListener(ConfigChangeListener listener) {
    }

    /**
     * Every role, for operators' views (the Web Console). A provider that cannot enumerate its store returns an
     * empty list.
     */
    default List<RoleConfig> roles() {
        return List.of();
    }

    /**
     * Every long-lived credential, for operators' views (the Web Console shows ids, principals, state and expiry,
     * never secrets). A provider that cannot enumerate its store returns an empty list.
     */
    default List<StoredCredential> credentials() {
        return List.of();
    }

    /**
     * When the configuration in force was loaded and the last failure to load, for operators' views. The default
     * knows nothing (empty).
     *
     * @since 1.3
     */
    default Optional<ConfigStatus> status() {
        return Optional.empty();
    }
}
