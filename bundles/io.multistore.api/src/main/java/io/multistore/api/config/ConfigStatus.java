package io.multistore.api.config;

import java.time.Instant;

/**
 * What a config provider last loaded and how it last failed, for operators' views (the Web Console). Never holds a
 * secret: the messages name files, lines, stores and counts, never a credential's secret or a connection password.
 *
 * @param loaded  when the configuration in force was loaded (for a network store: when it last answered), or
 *                {@code null} if it never was
 * @param summary what that load holds ({@code buckets=3, roles=1, credentials=2}), or {@code null}
 * @param failed  when loading last failed, or {@code null} if it never did
 * @param failure what failed then ({@code config.toml:12: ...}, a store's error), or {@code null}
 * @since 1.3
 */
public record ConfigStatus(Instant loaded, String summary, Instant failed, String failure) {
}
