package io.multistore.core.internal;

import io.multistore.core.internal.auth.PayloadException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers the first {@link PayloadException} a request body threw, so the client gets that error (a bad
 * checksum or signature) even when the backend reports the failed read as something else; counts the bytes read.
 */
final class TrackingStream extends FilterInputStream {

    private volatile PayloadException failure;
    private long count;

    TrackingStream(InputStream in) {
        super(in);
    }

    PayloadException failure() {
        return failure;
    }

    /** How many bytes were read. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        } catch (PayloadException e) {
            throw remember(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        } catch (PayloadException e) {
            throw remember(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (PayloadException e) {
            throw remember(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } catch (PayloadException e) {
            throw remember(e);
        }
    }

    private PayloadException remember(PayloadException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }
}
