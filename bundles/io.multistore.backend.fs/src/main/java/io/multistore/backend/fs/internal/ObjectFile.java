package io.multistore.backend.fs.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.ObjectSummary;
import io.multistore.api.backend.StoredChecksums;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file format of objects, parts and upload records: the object's bytes exactly as stored, then a metadata block,
 * then a fixed footer {@code [int block length][long magic]}. Data and metadata live in one file so a single rename
 * publishes both: a reader can never pair new bytes with old metadata. Trailing (rather than leading) metadata lets
 * the ETag, known only after streaming, be written without a second pass, and keeps byte 0 of the file byte 0 of
 * the object. The object's tags follow its user metadata in the block, then named sections (checksums); files
 * written before either existed end the block earlier and have none. Tags are published, replaced and deleted
 * with the object.
 */
final class ObjectFile {

    /** "MSTORE" + format version 1. */
    static final long MAGIC = 0x4D53_544F_5245_0001L;
    static final int FOOTER_BYTES = Integer.BYTES + Long.BYTES;
    private static final int MAX_BLOCK_BYTES = 1024 * 1024;

    /**
     * What the metadata block holds.
     *
     * @param key   the object key (also recorded for operators reading the directory by hand)
     * @param etag  quoted, as S3 sends it
     * @param parts the multipart part count, 0 for a single put
     */
    record Meta(String key, long size, String etag, Instant lastModified, int parts, ObjectAttributes attributes,
            StoredChecksums checksums) {

        Meta {
            checksums = checksums == null ? StoredChecksums.NONE : checksums;
        }

        Meta(String key, long size, String etag, Instant lastModified, int parts, ObjectAttributes attributes) {
            this(key, size, etag, lastModified, parts, attributes, StoredChecksums.NONE);
        }

        ObjectMeta toObjectMeta() {
            return toObjectMeta(key);
        }

        ObjectMeta toObjectMeta(String asKey) {
            StoredChecksums stored = parts == checksums.partsCount() ? checksums
                    : new StoredChecksums(checksums.checksum(), parts, checksums.parts());
            return new ObjectMeta(asKey, size, etag, lastModified, attributes, null, tagCount(), stored);
        }

        int tagCount() {
            return attributes.tags() == null ? 0 : attributes.tags().size();
        }

        ObjectSummary toSummary(String listedKey) {
            return new ObjectSummary(listedKey, size, etag, lastModified);
        }
    }

    private ObjectFile() {
    }

    /** The metadata block and footer to append after {@code meta.size()} data bytes. */
    static ByteBuffer trailer(Meta meta) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(meta.key());
            out.writeLong(meta.size());
            out.writeUTF(meta.etag());
            out.writeLong(meta.lastModified().getEpochSecond());
            out.writeInt(meta.lastModified().getNano());
            out.writeInt(meta.parts());
            ObjectAttributes a = meta.attributes();
            writeNullable(out, a.contentType());
            writeNullable(out, a.contentEncoding());
            writeNullable(out, a.contentDisposition());
            writeNullable(out, a.contentLanguage());
            writeNullable(out, a.cacheControl());
            writeNullable(out, a.expires());
            out.writeInt(a.userMetadata().size());
            for (Map.Entry<String, String> e : a.userMetadata().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            Map<String, String> tags = a.tags() == null ? Map.of() : a.tags();
            out.writeInt(tags.size());
            for (Map.Entry<String, String> e : tags.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            ChecksumSection.write(out, meta.checksums());
            int blockLength = bytes.size();
            out.writeInt(blockLength);
            out.writeLong(MAGIC);
            out.flush();
            return ByteBuffer.wrap(bytes.toByteArray());
        } catch (UTFDataFormatException e) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Metadata value too long", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream
        }
    }

    /**
     * Reads the metadata of an open file.
     *
     * @throws IOException when the file is not in this format or its data length disagrees with the metadata
     */
    static Meta read(FileChannel channel, Path path) throws IOException {
        long fileSize = channel.size();
        if (fileSize < FOOTER_BYTES) {
            throw new IOException("not an object file (too short): " + path);
        }
        ByteBuffer footer = ByteBuffer.allocate(FOOTER_BYTES);
        readFully(channel, footer, fileSize - FOOTER_BYTES, path);
        footer.flip();
        int blockLength = footer.getInt();
        if (footer.getLong() != MAGIC || blockLength < 0 || blockLength > MAX_BLOCK_BYTES
                || blockLength > fileSize - FOOTER_BYTES) {
            throw new IOException("not an object file (bad footer): " + path);
        }
        ByteBuffer block = ByteBuffer.allocate(blockLength);
        long dataSize = fileSize - FOOTER_BYTES - blockLength;
        readFully(channel, block, dataSize, path);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(block.array()));
        String key = in.readUTF();
        long size = in.readLong();
        String etag = in.readUTF();
        Instant lastModified = Instant.ofEpochSecond(in.readLong(), in.readInt());
        int parts = in.readInt();
        String contentType = readNullable(in);
        String contentEncoding = readNullable(in);
        String contentDisposition = readNullable(in);
        String contentLanguage = readNullable(in);
        String cacheControl = readNullable(in);
        String expires = readNullable(in);
        int count = in.readInt();
        if (count < 0 || count > 10_000) {
            throw new IOException("not an object file (bad metadata count): " + path);
        }
        Map<String, String> user = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            user.put(in.readUTF(), in.readUTF());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (in.available() > 0) {
            int tagCount = in.readInt();
            if (tagCount < 0 || tagCount > 10_000) {
                throw new IOException("not an object file (bad tag count): " + path);
            }
            for (int i = 0; i < tagCount; i++) {
                tags.put(in.readUTF(), in.readUTF());
            }
        }
        StoredChecksums checksums = ChecksumSection.read(in);
        if (size != dataSize) {
            throw new IOException("object file length disagrees with its metadata (" + dataSize + " data bytes, "
                    + size + " recorded): " + path);
        }
        return new Meta(key, size, etag, lastModified, parts, new ObjectAttributes(contentType, contentEncoding,
                contentDisposition, contentLanguage, cacheControl, expires, user, tags), checksums);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path path)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file: " + path);
            }
            at += n;
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
