package io.multistore.api.backend;

import java.util.List;

/**
 * One page of a listing: objects and common prefixes, each in key order.
 *
 * @param nextContinuationToken when {@code truncated}, the token that continues after this page (the store's own
 *                              format; the gateway passes it through opaquely)
 */
public record ListPage(List<ObjectSummary> objects, List<String> commonPrefixes, boolean truncated,
        String nextContinuationToken) {

    public ListPage {
        objects = List.copyOf(objects);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
