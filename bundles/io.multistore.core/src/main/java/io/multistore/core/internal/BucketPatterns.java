package io.multistore.core.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.backend.Backend;
import io.multistore.api.config.ConfigProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gateway-mode buckets: a {@code [[buckets]]} entry whose {@code name} is a pattern ({@code *}, {@code logs-*})
 * serves every bucket name it matches, one to one, with {@code {bucket}} in its {@code backend_options} values and
 * {@code backend_prefix} replaced by the requested name. An entry of the exact name always wins; among patterns the
 * most specific (most literal characters) wins, the first in configuration order on a tie.
 * <p>
 * The lookup stays in the core: the provider is asked for the exact name first (cached as every lookup is), and
 * only on a miss for its list of entries, so config providers need no change.
 */
final class BucketPatterns {

    /** S3's rules for bucket names: a name served through a pattern becomes part of a backend name or path. */
    private static final Pattern VALID_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private BucketPatterns() {
    }

    /** Whether an entry's name is a pattern rather than a bucket name. */
    static boolean isPattern(String name) {
        return name.indexOf('*') >= 0;
    }

    /** Whether {@code name} is one S3 would accept for a bucket (and so may fill {@code {bucket}}). */
    static boolean validName(String name) {
        return VALID_NAME.matcher(name).matches() && !name.contains("..") && !IPV4.matcher(name).matches();
    }

    /**
     * The configuration serving the bucket {@code name}: the entry of that name, else the most specific pattern
     * entry matching it, instantiated for the name.
     */
    static Optional<BucketConfig> resolve(ConfigProvider provider, String name) {
        if (isPattern(name)) {
            return Optional.empty(); // a pattern is never a bucket a client can name
        }
        Optional<BucketConfig> exact = provider.bucket(name);
        if (exact.isPresent() || !validName(name)) {
            return exact;
        }
        BucketConfig best = null;
        for (BucketConfig entry : provider.buckets()) {
            if (isPattern(entry.name()) && matches(entry.name(), name)
                    && (best == null || specificity(entry.name()) > specificity(best.name()))) {
                best = entry;
            }
        }
        return best == null ? Optional.empty() : Optional.of(instantiate(best, name));
    }

    /** The pattern entry that would serve {@code name} among {@code patterns}, or {@code null}. */
    static BucketConfig bestPattern(Iterable<BucketConfig> patterns, String name) {
        BucketConfig best = null;
        for (BucketConfig entry : patterns) {
            if (matches(entry.name(), name) && (best == null || specificity(entry.name()) > specificity(best.name()))) {
                best = entry;
            }
        }
        return best;
    }

    /** A pattern entry as the bucket {@code name}: the placeholder replaced in every option and the prefix. */
    static BucketConfig instantiate(BucketConfig entry, String name) {
        Map<String, String> options = new LinkedHashMap<>();
        entry.backendOptions().forEach((k, v) -> options.put(k, v.replace(Backend.BUCKET_PLACEHOLDER, name)));
        return new BucketConfig(name, entry.backendType(),
                entry.backendPrefix().replace(Backend.BUCKET_PLACEHOLDER, name), entry.anonymousAccess(),
                entry.allowedRoles(), options, entry.cors(), entry.name());
    }

    /** Literal characters: {@code logs-*} is more specific than {@code *}. */
    static int specificity(String pattern) {
        int n = 0;
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) != '*') {
                n++;
            }
        }
        return n;
    }

    /** Glob match where {@code *} stands for any run of characters (including none). */
    static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
