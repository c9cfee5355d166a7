package io.multistore.core.internal.auth;

import io.multistore.api.S3ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A plain (not {@code aws-chunked}) body, read through its checks. With a known length the checks run on the read
 * that returns the last byte, which then throws instead of returning: a consumer that stops at Content-Length never
 * reads again to see the end of the stream.
 */
final class VerifyingInputStream extends InputStream {

    private final InputStream in;
    private final List<PayloadCheck> checks;
    private final long length;
    private long remaining;
    private boolean finished;
    private PayloadException failure;

    /** @param length Content-Length, or -1 when unknown (the checks then run at end of stream) */
    VerifyingInputStream(InputStream in, long length, List<PayloadCheck> checks) {
        this.in = in;
        this.length = length;
        this.remaining = length;
        this.checks = List.copyOf(checks);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            finish();
            return -1;
        }
        int want = remaining > 0 ? (int) Math.min(len, remaining) : len;
        int n = in.read(b, off, want);
        if (n < 0) {
            if (remaining > 0) {
                throw fail(new PayloadException(S3ErrorCode.IncompleteBody, "The body ended after "
                        + (length - remaining) + " of " + length + " bytes."));
            }
            finish();
            return -1;
        }
        for (PayloadCheck check : checks) {
            check.update(b, off, n);
        }
        if (remaining > 0) {
            remaining -= n;
            if (remaining == 0) {
                finish();
            }
        }
        return n;
    }

    private void finish() throws PayloadException {
        finished = true;
        try {
            for (PayloadCheck check : checks) {
                check.verify();
            }
        } catch (PayloadException e) {
            throw fail(e);
        }
    }

    private PayloadException fail(PayloadException e) {
        failure = e;
        return e;
    }

    @Override
    public int available() throws IOException {
        if (finished || failure != null) {
            return 0;
        }
        int available = in.available();
        // never promise the last byte: reading it may still fail
        return remaining > 0 ? (int) Math.max(0, Math.min(available, remaining - 1)) : 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
