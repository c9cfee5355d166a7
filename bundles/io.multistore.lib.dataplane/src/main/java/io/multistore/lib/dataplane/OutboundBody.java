package io.multistore.lib.dataplane;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body on its way to a store: either bytes in memory (sent again as often as a retry needs) or a client's
 * stream of a known length, sent once. A stream may be offered again only while none of it was read (the store
 * refused the connection before the body left); after that a retry is refused, because the bytes already sent are
 * gone. A stream gives exactly {@link #length()} bytes and fails if the client's stream ends early, so a short body
 * is never stored as a shorter object; and it remembers why the client's stream failed, so that the upload fails
 * with that cause rather than with the store's reaction to a cut-off body.
 */
public final class OutboundBody {

    /** Opens a stream. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private final byte[] bytes;
    private final int offset;
    private final InputStream source;
    private final long length;
    /** For an encoded body: the body it encodes, which holds the state; else {@code null}. */
    private final OutboundBody plain;
    private final Source encoding;
    private Bounded current;
    private volatile Exception failure;

    private OutboundBody(byte[] bytes, int offset, InputStream source, long length, OutboundBody plain,
            Source encoding) {
        this.bytes = bytes;
        this.offset = offset;
        this.source = source;
        this.length = length;
        this.plain = plain;
        this.encoding = encoding;
    }

    /** Bytes in memory: replayable. */
    public static OutboundBody of(byte[] bytes, int offset, int length) {
        return new OutboundBody(bytes, offset, null, length, null, null);
    }

    /** A client's stream giving exactly {@code length} bytes: sent once. */
    public static OutboundBody stream(InputStream source, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("a streamed body needs its length");
        }
        return new OutboundBody(null, 0, source, length, null, null);
    }

    /**
     * This body as a signer or encoder wraps it (S3's {@code aws-chunked}, for one): {@code wireLength} bytes from
     * {@code encoding}, which reads this body's {@link #newStream()}. Replays and failures are this body's.
     */
    public OutboundBody encoded(long wireLength, Source encoding) {
        return new OutboundBody(null, 0, null, wireLength, this, encoding);
    }

    /**
     * Fills {@code buffer} from a client's stream of unknown length, for a backend that sends such a body in pieces
     * of known length: fewer bytes only at the stream's end. A failing stream is {@code IncompleteBody} (an
     * {@code S3Exception} it throws, such as a checksum mismatch, unchanged).
     */
    public static int fill(InputStream in, byte[] buffer, String resource) {
        try {
            return in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException | RuntimeException e) {
            if (e instanceof S3Exception s3) {
                throw s3;
            }
            throw new S3Exception(S3ErrorCode.IncompleteBody, "reading the request body failed: " + e.getMessage(),
                    resource, e);
        }
    }

    public long length() {
        return length;
    }

    /** Whether {@link #newStream()} may be called (again). */
    public synchronized boolean replayable() {
        if (plain != null) {
            return plain.replayable();
        }
        return bytes != null || current == null || current.remaining == length;
    }

    /**
     * The body from its first byte.
     *
     * @throws IOException when the body is a stream that was already (partly) sent
     */
    public synchronized InputStream newStream() throws IOException {
        if (plain != null) {
            if (!plain.replayable()) {
                throw new IOException("the request body was partly sent and cannot be sent again");
            }
            return encoding.open();
        }
        if (bytes != null) {
            return new ByteArrayInputStream(bytes, offset, (int) length);
        }
        if (current != null && current.remaining != length) {
            throw new IOException("the request body was partly sent and cannot be sent again");
        }
        current = new Bounded(source);
        return current;
    }

    /**
     * The error to report when an upload failed: the client stream's own failure if there was one
     * ({@code S3Exception}s such as a checksum mismatch unchanged, else {@code IncompleteBody}), otherwise
     * {@code null}.
     */
    public S3Exception failure(String resource) {
        if (plain != null) {
            return plain.failure(resource);
        }
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

        /**
         * Only the start can be returned to, and only while nothing was read: what a signer's resettable wrapper
         * needs to resend an untouched body, and all a one-shot stream can honour.
         */
        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public void mark(int readlimit) {
            // the only position ever returned to is the start
        }

        @Override
        public void reset() throws IOException {
            if (remaining != length) {
                throw new IOException("the request body was partly sent and cannot be sent again");
            }
        }

        @Override
        public void close() {
            // the front end owns the client's stream
        }
    }
}
