package io.multistore.config.file.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.RoleConfig;
import io.multistore.api.StoredCredential;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One consistent view of the configuration files: everything in it was parsed and validated together, and it never
 * changes. A reload builds a new one and swaps it in whole.
 *
 * @param buckets     by name, in file order
 * @param roles       by role id, main file first, then the STS file
 * @param credentials by access key id, main file first, then the STS file
 * @param warnings    things worth an operator's attention that do not stop the configuration from working
 */
record ConfigSnapshot(Map<String, BucketConfig> buckets, Map<String, RoleConfig> roles,
        Map<String, StoredCredential> credentials, List<String> warnings) {

    ConfigSnapshot {
        // ordered and null-tolerant on get(), unlike Map.copyOf
        buckets = Collections.unmodifiableMap(new LinkedHashMap<>(buckets));
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
        credentials = Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
        warnings = List.copyOf(warnings);
    }

    List<BucketConfig> bucketList() {
        return List.copyOf(buckets.values());
    }

    @Override
    public String toString() {
        // the credential map's values are safe to print, but a summary is all a log needs
        return "buckets=" + buckets.size() + ", roles=" + roles.size() + ", credentials=" + credentials.size();
    }
}
