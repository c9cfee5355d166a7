package io.multistore.backend.s3.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.http.Abortable;

/**
 * An object's bytes from the backend. Closing it before the end aborts the HTTP connection instead of letting the
 * HTTP client drain the rest of the body to reuse the connection: draining a large object a client no longer
 * wants costs more than a new connection.
 */
final class ObjectStream extends FilterInputStream {

    private final Abortable abortable;
    private long remaining;
    private boolean closed;

    /**
     * @param expected how many bytes the response carries
     */
    ObjectStream(InputStream in, Abortable abortable, long expected) {
        super(in);
        this.abortable = abortable;
        this.remaining = expected;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            remaining = 0;
        } else {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            remaining = 0;
        } else {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        remaining -= skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Whether the stream was closed before its end, so that the connection was aborted. */
    boolean abortedEarly() {
        return closed && remaining > 0;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (remaining > 0) {
            abortable.abort();
            try {
                in.close();
            } catch (IOException e) {
                // expected after an abort
            }
        } else {
            in.close();
        }
    }
}
