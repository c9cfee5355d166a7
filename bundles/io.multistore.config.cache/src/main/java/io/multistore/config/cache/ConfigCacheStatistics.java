package io.multistore.config.cache;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The config cache's counters since it started. Registered as a service by each cache instance, with the cache's
 * service properties.
 */
@ProviderType
public interface ConfigCacheStatistics {

    /** Lookups answered from a fresh entry. */
    long hits();

    /** Lookups that had to ask the upstream provider (or wait for another caller's request to it). */
    long misses();

    /** Calls made to the upstream provider: with concurrent misses collapsed, at most one per key at a time. */
    long upstreamCalls();

    /** Upstream calls that failed (store down, timeout, no upstream bound). */
    long errors();

    /** Lookups answered with an expired entry because the upstream failed (stale-if-error). */
    long staleServed();

    /** Entries held now (fresh or not). */
    int size();
}
