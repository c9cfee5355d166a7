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
 * result, never an exception.
 */
@ConsumerType
public interface ConfigProvider {

    /** Service property naming the source: {@code file}, {@code http}, {@code dynamodb}, {@code postgres}. */
    String SOURCE = "multistore.config.source";

    Optional<BucketConfig> bucket(String name);

    List<BucketConfig> buckets();

    Optional<RoleConfig> role(String roleId);

    Optional<StoredCredential> credential(String accessKeyId);

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
}
