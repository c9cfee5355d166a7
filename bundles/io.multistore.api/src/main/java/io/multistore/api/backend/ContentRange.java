package io.multistore.api.backend;

/**
 * A satisfiable byte range of an object: {@code first} to {@code last} inclusive, of {@code total} bytes.
 */
public record ContentRange(long first, long last, long total) {

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} header value. */
    public String header() {
        return "bytes " + first + "-" + last + "/" + total;
    }
}
