package io.multistore.lib.dataplane;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body from a store. Closing it before its end aborts the HTTP connection; closing it at the end returns
 * the connection to the pool.
 */
public final class ResponseStream extends FilterInputStream {

    private final Runnable abort;
    private final long expected;
    private long remaining;
    private boolean ended;
    private boolean closed;

    /**
     * @param expected how many bytes the response carries, or -1 when unknown (then only a read to the end counts as
     *                 complete)
     */
    ResponseStream(InputStream in, Runnable abort, long expected) {
        super(in);
        this.abort = abort;
        this.expected = expected;
        this.remaining = expected < 0 ? Long.MAX_VALUE : expected;
        this.ended = expected == 0;
    }

    long expected() {
        return expected;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            ended = true;
        } else if (--remaining == 0) {
            ended = true;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            ended = true;
        } else {
            remaining -= n;
            if (remaining == 0) {
                ended = true;
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        remaining -= skipped;
        if (remaining == 0) {
            ended = true;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Whether the stream was closed before its end, so that the connection was aborted. */
    public boolean abortedEarly() {
        return closed && !ended;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!ended) {
            abort.run();
        }
        try {
            in.close();
        } catch (IOException e) {
            // expected after an abort; at the end a failed close only costs the connection
        }
    }
}
