package io.multistore.core.internal;

import io.multistore.core.internal.auth.PayloadException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers the first {@link PayloadException} a request body threw, so the client gets that error (a bad
 * checksum or signature) even when the backend reports the failed read as something else.
 */
final class TrackingStream extends FilterInputStream {

    private volatile PayloadException failure;

    TrackingStream(InputStream in) {
        super(in);
    }

    PayloadException failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (PayloadException e) {
            throw remember(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
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
