package io.multistore.core.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.StoredCredential;
import io.multistore.api.config.ConfigProvider;
import io.multistore.api.config.ConfigStatus;
import java.util.List;
import java.util.Optional;

/**
 * The configuration the gateway serves, published for auth modules as {@link ConfigProvider#ACTIVE}: every lookup
 * goes to the provider the gateway is bound to at that moment, so a provider switch reaches them at once.
 */
final class ActiveConfigProvider implements ConfigProvider {

    private final Plugins plugins;
    private final long graceNanos;

    /** @param graceNanos how long a lookup waits for the replacement of a provider that just left, as requests do */
    ActiveConfigProvider(Plugins plugins, long graceNanos) {
        this.plugins = plugins;
        this.graceNanos = graceNanos;
    }

    private ConfigProvider current() {
        ConfigProvider provider = plugins.configProvider(graceNanos);
        if (provider == null) {
            throw new S3Exception(S3ErrorCode.ServiceUnavailable, "no config provider is bound to the gateway");
        }
        return provider;
    }

    @Override
    public Optional<BucketConfig> bucket(String name) {
        return current().bucket(name);
    }

    @Override
    public List<BucketConfig> buckets() {
        return current().buckets();
    }

    @Override
    public Optional<RoleConfig> role(String roleId) {
        return current().role(roleId);
    }

    @Override
    public Optional<StoredCredential> credential(String accessKeyId) {
        return current().credential(accessKeyId);
    }

    @Override
    public Optional<ConfigStatus> status() {
        return current().status();
    }

    @Override
    public String toString() {
        return "ActiveConfigProvider[" + plugins.configProvider() + "]";
    }
}
