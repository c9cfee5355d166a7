package io.multistore.api.backend;

import java.io.InputStream;

/**
 * A request body on its way to a backend.
 *
 * @param length the exact number of bytes the stream will give, or -1 when unknown
 */
public record ObjectBody(InputStream stream, long length) {
}
