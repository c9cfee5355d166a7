package io.multistore.api.backend;

import java.util.Locale;

/**
 * A flexible checksum of S3 ({@code x-amz-checksum-*}): of a whole object, of one part, or of a multipart object.
 *
 * @param algorithm {@code CRC32}, {@code CRC32C}, {@code CRC64NVME}, {@code SHA1} or {@code SHA256}
 * @param value     the checksum in base64 as S3 sends it; a composite one ends in {@code -N} (the number of parts);
 *                  {@code null} where only the algorithm is known (an upload in progress, a body not yet read)
 * @param type      {@link #FULL_OBJECT} or {@link #COMPOSITE}
 */
public record ObjectChecksum(String algorithm, String value, String type) {

    /** The checksum of all the object's bytes (every single-part object; CRC multipart uploads that ask for it). */
    public static final String FULL_OBJECT = "FULL_OBJECT";
    /** The checksum of the concatenated checksums of the parts, suffixed {@code -N}. */
    public static final String COMPOSITE = "COMPOSITE";

    public ObjectChecksum {
        algorithm = algorithm.toUpperCase(Locale.ROOT);
        type = type == null ? FULL_OBJECT : type;
    }

    /** The header that carries it: {@code x-amz-checksum-crc32c}. */
    public String headerName() {
        return "x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT);
    }

    /** The element name S3's XML uses: {@code ChecksumCRC32C}. */
    public String elementName() {
        return "Checksum" + algorithm;
    }

    /** The same algorithm and type with another value. */
    public ObjectChecksum withValue(String newValue) {
        return new ObjectChecksum(algorithm, newValue, type);
    }
}
