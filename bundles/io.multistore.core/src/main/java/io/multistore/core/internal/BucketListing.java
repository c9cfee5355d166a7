package io.multistore.core.internal;

import io.multistore.api.BucketConfig;
import io.multistore.api.Identity;
import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ListRequest;
import io.multistore.core.internal.S3Gateway.Call;
import io.multistore.core.internal.auth.Authorizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * ListBuckets: the configured buckets the caller may see, plus the buckets of gateway-mode entries that exist on
 * their backends, in name order and paged ({@code max-buckets}, {@code continuation-token}, {@code prefix},
 * {@code bucket-region}) as S3 pages them. And the bucket-level rule DeleteBucket shares with it.
 */
final class BucketListing {

    /** S3's limit of {@code max-buckets}. */
    static final int MAX_BUCKETS = 10000;
    private static final String DEFAULT_REGION = "us-east-1";
    /** CreationDate: the configuration has no creation time; the gateway's start keeps listings stable. */
    private static final String STARTED = HttpDates.iso(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    private BucketListing() {
    }

    /**
     * @param entries    the provider's bucket entries, exact and pattern
     * @param namesOnBackend for a gateway-mode entry, the names its backend reports (never throws)
     */
    static void listBuckets(Call call, List<BucketConfig> entries,
            Function<BucketConfig, List<String>> namesOnBackend) throws IOException {
        S3Request r = call.request;
        String prefix = r.param("prefix") == null ? "" : r.param("prefix");
        String region = r.param("bucket-region");
        int max = maxBuckets(r.param("max-buckets"));
        String after = r.param("continuation-token") == null ? null : decodeToken(r.param("continuation-token"));

        Map<String, BucketConfig> visible = visible(call.identity(), entries, namesOnBackend);
        List<BucketConfig> page = new ArrayList<>();
        boolean more = false;
        for (BucketConfig b : visible.values()) {
            if (!b.name().startsWith(prefix) || (after != null && b.name().compareTo(after) <= 0)
                    || (region != null && !region.equals(region(b)))) {
                continue;
            }
            if (page.size() == max) {
                more = true;
                break;
            }
            page.add(b);
        }
        Listings.Owner owner = S3Operations.owner(call.identity());
        XmlWriter x = new XmlWriter().root("ListAllMyBucketsResult");
        Listings.owner(x, owner);
        x.start("Buckets");
        for (BucketConfig b : page) {
            x.start("Bucket").element("Name", b.name()).element("CreationDate", STARTED)
                    .element("BucketRegion", region(b)).end();
        }
        x.end();
        if (more) {
            x.element("ContinuationToken", encodeToken(page.get(page.size() - 1).name()));
        }
        if (!prefix.isEmpty()) {
            x.element("Prefix", prefix);
        }
        S3Operations.sendXml(call, 200, x.end().toBytes());
    }

    /** Every bucket the identity may see, by name. */
    static Map<String, BucketConfig> visible(Identity identity, List<BucketConfig> entries,
            Function<BucketConfig, List<String>> namesOnBackend) {
        Map<String, BucketConfig> visible = new TreeMap<>();
        Set<String> exact = new HashSet<>();
        List<BucketConfig> patterns = new ArrayList<>();
        for (BucketConfig b : entries) {
            if (BucketPatterns.isPattern(b.name())) {
                patterns.add(b);
            } else {
                exact.add(b.name());
                if (Authorizer.canSee(identity, b)) {
                    visible.put(b.name(), b);
                }
            }
        }
        for (BucketConfig entry : patterns) {
            for (String name : namesOnBackend.apply(entry)) {
                // the name goes to the entry that would serve it: never an exact entry's, never a more specific one's
                if (exact.contains(name) || visible.containsKey(name) || !BucketPatterns.validName(name)
                        || BucketPatterns.bestPattern(patterns, name) != entry) {
                    continue;
                }
                BucketConfig bucket = BucketPatterns.instantiate(entry, name);
                if (Authorizer.canSee(identity, bucket)) {
                    visible.put(name, bucket);
                }
            }
        }
        return visible;
    }

    private static String region(BucketConfig b) {
        return b.option("region").orElse(DEFAULT_REGION);
    }

    static int maxBuckets(String value) {
        if (value == null) {
            return MAX_BUCKETS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_BUCKETS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new S3Exception(S3ErrorCode.InvalidArgument, "max-buckets must be an integer between 1 and "
                + MAX_BUCKETS, "max-buckets", null);
    }

    /** The token names the last bucket of the page: the listing goes on after it, whatever changed meanwhile. */
    static String encodeToken(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            String name = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new S3Exception(S3ErrorCode.InvalidArgument, "The continuation token provided is incorrect",
                "continuation-token", null);
    }

    /**
     * DeleteBucket of a bucket with a {@code backend_prefix} is refused: its backend bucket is shared with other
     * prefixes (or holds more than the gateway shows), so removing it is never the gateway's to do.
     * {@code InvalidRequest} (400), not {@code BucketNotEmpty}: emptying the bucket would not make it deletable.
     */
    static void checkDeletable(BucketConfig bucket) {
        if (!bucket.backendPrefix().isEmpty()) {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "The bucket " + bucket.name() + " is a prefix of a "
                    + "shared backend bucket (backend_prefix); it cannot be deleted through the gateway.",
                    bucket.name(), null);
        }
    }

    /**
     * HeadBucket of a gateway-mode bucket asks its backend (a one-key listing), since the name alone says nothing
     * about whether the backend container exists ({@code NoSuchBucket} when it does not). Configured buckets exist
     * by configuration and answer without a backend call.
     */
    static void checkExists(Call call) {
        if (call.bucket.pattern() != null) {
            call.store.list(new ListRequest(call.bucket.backendPrefix(), null, null, null, 1));
        }
    }
}
