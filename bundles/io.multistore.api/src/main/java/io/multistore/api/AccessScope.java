package io.multistore.api;

import java.util.List;
import java.util.Set;

/**
 * What a credential or role may do: a bucket ({@code *} for any, or a {@code {claim}} template for roles), key
 * prefixes (empty = the whole bucket; a prefix without a trailing {@code /} matches the key exactly or as a
 * directory) and actions.
 */
public record AccessScope(String bucket, List<String> prefixes, Set<Action> actions) {
    public AccessScope {
        bucket = bucket == null ? "" : bucket;
        prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
        actions = actions == null ? Set.of() : Set.copyOf(actions);
    }
}
