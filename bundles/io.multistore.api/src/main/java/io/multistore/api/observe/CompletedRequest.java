package io.multistore.api.observe;

import java.time.Instant;

/**
 * What one request did. Never holds a secret: no credentials, signatures, tokens or query strings.
 *
 * @param requestId      the {@code x-amz-request-id} the client got
 * @param started        when the gateway received the request
 * @param method         the HTTP method
 * @param operation      the S3 operation ({@code GetObject}, {@code ListObjectsV2}, ...), the route handler's name
 *                       for routed requests, or {@code -} when the request did not get that far
 * @param bucket         the virtual bucket, or {@code null}
 * @param key            the object key, or {@code null}
 * @param principal      who made it: the credential's principal (or access key id), the role's subject, or
 *                       {@code anonymous}
 * @param remoteAddress  the client's address
 * @param userAgent      the {@code User-Agent} header, or {@code null}
 * @param status         the HTTP status sent; 0 when the connection was aborted before a status went out
 * @param errorCode      the S3 error code sent, or {@code null}
 * @param bytesIn        request body bytes read
 * @param bytesOut       response body bytes written
 * @param firstByteNanos time from receipt until the response began (status and headers)
 * @param totalNanos     time from receipt until the response was complete
 * @param backendNanos   time spent in calls to the backend store (opening the store and each store call; for a
 *                       download, until its body started to flow)
 * @param backendType    the {@code backend_type} of the bucket's configuration once the gateway found it, or
 *                       {@code null} (no bucket, an unknown bucket, a route-handled request); since 1.2
 */
public record CompletedRequest(String requestId, Instant started, String method, String operation, String bucket,
        String key, String principal, String remoteAddress, String userAgent, int status, String errorCode,
        long bytesIn, long bytesOut, long firstByteNanos, long totalNanos, long backendNanos, String backendType) {

    /** A request whose backend type is not known ({@link #backendType()} {@code null}). */
    public CompletedRequest(String requestId, Instant started, String method, String operation, String bucket,
            String key, String principal, String remoteAddress, String userAgent, int status, String errorCode,
            long bytesIn, long bytesOut, long firstByteNanos, long totalNanos, long backendNanos) {
        this(requestId, started, method, operation, bucket, key, principal, remoteAddress, userAgent, status,
                errorCode, bytesIn, bytesOut, firstByteNanos, totalNanos, backendNanos, null);
    }
}
