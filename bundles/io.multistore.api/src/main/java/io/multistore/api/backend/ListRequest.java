package io.multistore.api.backend;

/**
 * A listing request, already in backend keys.
 *
 * @param prefix            only keys starting with this ({@code ""} for all)
 * @param delimiter         roll keys up into common prefixes at this string, or {@code null}
 * @param startAfter        only keys strictly after this one ({@code null} for the start); when it names a common
 *                          prefix (ends with the delimiter), everything under that prefix is skipped too
 * @param continuationToken a token from a previous {@link ListPage}, or {@code null}
 * @param maxKeys           at most this many objects plus common prefixes (1..1000)
 */
public record ListRequest(String prefix, String delimiter, String startAfter, String continuationToken,
        int maxKeys) {

    public ListRequest {
        prefix = prefix == null ? "" : prefix;
        delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        startAfter = startAfter == null || startAfter.isEmpty() ? null : startAfter;
        continuationToken = continuationToken == null || continuationToken.isEmpty() ? null : continuationToken;
    }
}
