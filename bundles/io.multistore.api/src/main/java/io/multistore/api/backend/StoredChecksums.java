package io.multistore.api.backend;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.util.List;

/**
 * What a store keeps about how an object was written: its checksum and, for a multipart object, its parts (for
 * {@code GET ?partNumber=N} and GetObjectAttributes).
 *
 * @param checksum   the object's checksum, or {@code null} when none was stored
 * @param partsCount the number of parts of a multipart object; 0 for an object written in one piece, or when the
 *                   store does not know
 * @param parts      the parts in order with their sizes (and checksums where kept); empty when the object has
 *                   none or the store does not report them
 */
public record StoredChecksums(ObjectChecksum checksum, int partsCount, List<PartInfo> parts) {

    public static final StoredChecksums NONE = new StoredChecksums(null, 0, List.of());

    public StoredChecksums {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** Only a checksum, of an object written in one piece. */
    public static StoredChecksums of(ObjectChecksum checksum) {
        return checksum == null ? NONE : new StoredChecksums(checksum, 0, List.of());
    }

    /**
     * The byte range of part {@code partNumber} of an object, as {@code GET ?partNumber=N} serves it: of a multipart
     * object, that part; of an object written in one piece, part 1 is all of it.
     *
     * @return the range, or {@code null} for part 1 of an empty single-part object (the whole, empty, object)
     * @throws S3Exception {@code InvalidPartNumber} when there is no such part; {@code NotImplemented} for a
     *                     multipart object whose store does not report its part sizes
     */
    public static ContentRange partRange(ObjectMeta meta, int partNumber) {
        StoredChecksums stored = meta.checksums();
        if (stored.partsCount() == 0) {
            if (partNumber != 1) {
                throw invalidPartNumber();
            }
            return meta.size() == 0 ? null : new ContentRange(0, meta.size() - 1, meta.size());
        }
        if (partNumber < 1 || partNumber > stored.partsCount()) {
            throw invalidPartNumber();
        }
        if (stored.parts().size() != stored.partsCount()) {
            throw new S3Exception(S3ErrorCode.NotImplemented,
                    "This backend does not report the part sizes of a multipart object");
        }
        long first = 0;
        for (int i = 0; i < partNumber - 1; i++) {
            first += stored.parts().get(i).size();
        }
        long size = stored.parts().get(partNumber - 1).size();
        if (size == 0) {
            return null;
        }
        return new ContentRange(first, first + size - 1, meta.size());
    }

    private static S3Exception invalidPartNumber() {
        return new S3Exception(S3ErrorCode.InvalidPartNumber, S3ErrorCode.InvalidPartNumber.defaultMessage());
    }
}
