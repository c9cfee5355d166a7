package io.multistore.api.backend;

import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A request body on its way to a backend.
 *
 * @param length   the exact number of bytes the stream will give, or -1 when unknown
 * @param checksum the flexible checksum of the body the gateway verifies (or computes) as it streams: before the
 *                 stream has ended it gives the algorithm, with the value only where the client sent it up front
 *                 (a header); once the stream has ended it gives the verified value. Gives {@code null} when the
 *                 body has no checksum. Never {@code null} itself.
 */
public record ObjectBody(InputStream stream, long length, Supplier<ObjectChecksum> checksum) {

    private static final Supplier<ObjectChecksum> NO_CHECKSUM = () -> null;

    public ObjectBody {
        checksum = checksum == null ? NO_CHECKSUM : checksum;
    }

    public ObjectBody(InputStream stream, long length) {
        this(stream, length, NO_CHECKSUM);
    }
}
