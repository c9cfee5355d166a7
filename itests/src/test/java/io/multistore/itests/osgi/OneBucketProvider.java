package io.multistore.itests.osgi;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigProvider;
import java.util.List;
import java.util.Optional;

/** A config provider with one bucket and nothing else, registered by the tests at runtime. */
final class OneBucketProvider implements ConfigProvider {
    private final BucketConfig bucket;

    OneBucketProvider(BucketConfig bucket) {
        this.bucket = bucket;
    }

    @Override
    public Optional<BucketConfig> bucket(String name) {
        return bucket.name().equals(name) ? Optional.of(bucket) : Optional.empty();
    }

    @Override
    public List<BucketConfig> buckets() {
        return List.of(bucket);
    }

    @Override
    public Optional<RoleConfig> role(String roleId) {
        return Optional.empty();
    }

    @Override
    public Optional<StoredCredential> credential(String accessKeyId) {
        return Optional.empty();
    }
}
