package io.multistore.api.backend;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Conditional request headers ({@code If-Match}, {@code If-None-Match}, {@code If-Modified-Since},
 * {@code If-Unmodified-Since}). Entity tags are kept as sent (quoted or not, or {@code *}).
 */
public record Preconditions(List<String> ifMatch, List<String> ifNoneMatch, Instant ifModifiedSince,
        Instant ifUnmodifiedSince) {

    public static final Preconditions NONE = new Preconditions(List.of(), List.of(), null, null);

    public Preconditions {
        ifMatch = ifMatch == null ? List.of() : List.copyOf(ifMatch);
        ifNoneMatch = ifNoneMatch == null ? List.of() : List.copyOf(ifNoneMatch);
    }

    public boolean isEmpty() {
        return ifMatch.isEmpty() && ifNoneMatch.isEmpty() && ifModifiedSince == null && ifUnmodifiedSince == null;
    }

    /**
     * Evaluates the conditions against an existing object for a read (GET, HEAD, copy source), in RFC 9110 order as
     * S3 does: a failed {@code If-Match}/{@code If-Unmodified-Since} is 412, a failed
     * {@code If-None-Match}/{@code If-Modified-Since} is 304.
     */
    public void checkRead(ObjectMeta meta) {
        if (!ifMatch.isEmpty()) {
            if (!matches(ifMatch, meta.etag())) {
                throw new S3Exception(S3ErrorCode.PreconditionFailed, "At least one of the pre-conditions you "
                        + "specified did not hold", "If-Match", null);
            }
        } else if (ifUnmodifiedSince != null && modifiedAfter(meta, ifUnmodifiedSince)) {
            throw new S3Exception(S3ErrorCode.PreconditionFailed, "At least one of the pre-conditions you "
                    + "specified did not hold", "If-Unmodified-Since", null);
        }
        if (!ifNoneMatch.isEmpty()) {
            if (matches(ifNoneMatch, meta.etag())) {
                throw new S3Exception(S3ErrorCode.NotModified);
            }
        } else if (ifModifiedSince != null && !modifiedAfter(meta, ifModifiedSince)) {
            throw new S3Exception(S3ErrorCode.NotModified);
        }
    }

    /**
     * Evaluates the conditions of a write against the current object ({@code null} if there is none): a failed
     * {@code If-None-Match} is 412 here, and {@code If-Match} on an absent key is {@code NoSuchKey}, as in S3.
     */
    public void checkWrite(ObjectMeta current) {
        if (!ifMatch.isEmpty()) {
            if (current == null) {
                throw new S3Exception(S3ErrorCode.NoSuchKey);
            }
            if (!matches(ifMatch, current.etag())) {
                throw new S3Exception(S3ErrorCode.PreconditionFailed, "At least one of the pre-conditions you "
                        + "specified did not hold", "If-Match", null);
            }
        }
        if (!ifNoneMatch.isEmpty() && current != null && matches(ifNoneMatch, current.etag())) {
            throw new S3Exception(S3ErrorCode.PreconditionFailed, "At least one of the pre-conditions you "
                    + "specified did not hold", "If-None-Match", null);
        }
    }

    private static boolean modifiedAfter(ObjectMeta meta, Instant since) {
        // HTTP dates have second precision
        return meta.lastModified().truncatedTo(ChronoUnit.SECONDS).isAfter(since);
    }

    private static boolean matches(List<String> tags, String etag) {
        String bare = unquote(etag);
        for (String tag : tags) {
            String t = tag.trim();
            if (t.equals("*") || unquote(t).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String tag) {
        if (tag == null) {
            return "";
        }
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
