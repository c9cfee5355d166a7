package io.multistore.core.internal.auth;

import io.multistore.api.backend.ObjectChecksum;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A request body as the client meant it: {@code aws-chunked} framing removed, and every hash, checksum and chunk
 * signature checked while it is read.
 *
 * @param stream the object's bytes; throws {@link PayloadException} from the read that would complete a body
 *               that fails a check
 * @param length the object's length: {@code Content-Length}, or {@code x-amz-decoded-content-length} for
 *               {@code aws-chunked}, or -1 when unknown
 * @param checksum the body's flexible checksum, as {@link io.multistore.api.backend.ObjectBody#checksum()}
 */
public record VerifiedBody(InputStream stream, long length, Supplier<ObjectChecksum> checksum) {

    public VerifiedBody(InputStream stream, long length) {
        this(stream, length, Checksums.BodyChecksum.NONE);
    }
}
