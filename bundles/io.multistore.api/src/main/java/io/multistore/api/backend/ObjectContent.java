package io.multistore.api.backend;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An open object: its metadata and a stream of its bytes (the requested range, or all of it). Closing releases the
 * backend connection, even when the stream was not read to the end.
 *
 * @param range the range being served, or {@code null} for the whole object
 */
public record ObjectContent(ObjectMeta meta, InputStream stream, ContentRange range) implements Closeable {

    @Override
    public void close() throws IOException {
        stream.close();
    }

    /** How many bytes the stream gives. */
    public long length() {
        return range == null ? meta.size() : range.length();
    }
}
