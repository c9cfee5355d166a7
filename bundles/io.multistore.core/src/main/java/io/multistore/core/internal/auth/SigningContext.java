package io.multistore.core.internal.auth;

/**
 * What a verified request's signature seeds: the key and scope that chunk and trailer signatures of an
 * {@code aws-chunked} body are computed with, and the request signature the first chunk chains from.
 */
public final class SigningContext {

    private final byte[] signingKey;
    private final String timestamp;
    private final String scope;
    private final String seedSignature;

    SigningContext(byte[] signingKey, String timestamp, String scope, String seedSignature) {
        this.signingKey = signingKey;
        this.timestamp = timestamp;
        this.scope = scope;
        this.seedSignature = seedSignature;
    }

    byte[] signingKey() {
        return signingKey;
    }

    /** The request time as signed, {@code yyyyMMdd'T'HHmmss'Z'}. */
    public String timestamp() {
        return timestamp;
    }

    /** {@code date/region/service/aws4_request}. */
    public String scope() {
        return scope;
    }

    /** The request's own signature (the first chunk's previous signature). */
    public String seedSignature() {
        return seedSignature;
    }

    @Override
    public String toString() {
        // the key stays out of logs
        return "SigningContext[scope=" + scope + ", timestamp=" + timestamp + "]";
    }
}
