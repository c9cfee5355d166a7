package io.multistore.api.backend;

/**
 * A version listing request, already in backend keys.
 *
 * @param prefix          only keys starting with this ({@code ""} for all)
 * @param delimiter       roll keys up into common prefixes at this string, or {@code null}
 * @param keyMarker       continue after this key ({@code null} for the start)
 * @param versionIdMarker with {@code keyMarker}: continue after this version of that key, or {@code null}
 * @param maxKeys         at most this many versions, delete markers and common prefixes (1..1000)
 */
public record VersionListRequest(String prefix, String delimiter, String keyMarker, String versionIdMarker,
        int maxKeys) {

    public VersionListRequest {
        prefix = prefix == null ? "" : prefix;
        delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        keyMarker = keyMarker == null || keyMarker.isEmpty() ? null : keyMarker;
        versionIdMarker = versionIdMarker == null || versionIdMarker.isEmpty() ? null : versionIdMarker;
    }
}
