package io.multistore.backend.s3.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.exception.NonRetryableException;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A client's request body as the SDK's content provider. A retry (a second {@link #newStream()}) is allowed only
 * while no byte has been taken from the client's stream (the backend refused before the body was sent); after that it
 * fails without retrying, because the bytes already sent are gone. It gives exactly
 * {@code length} bytes and fails if the client's stream ends early, so a short body can never be stored as a
 * shorter object; and it remembers why the client's stream failed, so the upload fails with that cause.
 */
final class OneShotBody implements ContentStreamProvider {

    private final InputStream source;
    private final long length;
    private Bounded current;
    private volatile Exception failure;

    OneShotBody(InputStream source, long length) {
        this.source = source;
        this.length = length;
    }

    @Override
    public synchronized InputStream newStream() {
        if (current != null && current.remaining != length) {
            throw NonRetryableException.builder().message("the request body cannot be replayed").build();
        }
        current = new Bounded(source);
        return current;
    }

    /**
     * The error to report when an upload failed: the body's own failure if there was one ({@code S3Exception}s such
     * as a checksum mismatch unchanged, else {@code IncompleteBody}), otherwise {@code null}.
     */
    S3Exception bodyFailure(String resource) {
        Exception e = failure;
        if (e == null) {
            return null;
        }
        if (e instanceof S3Exception s3) {
            return s3;
        }
        return new S3Exception(S3ErrorCode.IncompleteBody, "reading the request body failed: " + e.getMessage(),
                resource, e);
    }

    private final class Bounded extends FilterInputStream {
        private volatile long remaining = length;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, remaining));
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
            if (n < 0) {
                IOException early = new IOException("request body ended after " + (length - remaining) + " of "
                        + length + " bytes");
                failure = early;
                throw early;
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported on a request body");
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the front end owns the client's stream
        }
    }
}
