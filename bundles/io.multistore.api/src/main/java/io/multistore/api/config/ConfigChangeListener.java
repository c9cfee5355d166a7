package io.multistore.api.config;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told by a {@link ConfigProvider} whose store announces changes (PostgreSQL {@code LISTEN/NOTIFY}) that records
 * changed, so a cache in front of it drops them at once instead of waiting for its TTL. Called on the provider's
 * thread: return quickly and never throw.
 */
@ConsumerType
public interface ConfigChangeListener {

    /** The record types a change can concern. */
    enum Kind {
        BUCKET, ROLE, CREDENTIAL
    }

    /**
     * @param kind which type of record changed
     * @param id   the changed record's id (bucket name, role id, access key id), or {@code null} when any record of
     *             that type may have changed (the provider lost track, e.g. after reconnecting)
     */
    void changed(Kind kind, String id);
}
