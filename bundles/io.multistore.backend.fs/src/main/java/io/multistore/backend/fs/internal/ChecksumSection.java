package io.multistore.backend.fs.internal;

import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.StoredChecksums;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The checksums of an object (or part, or upload) in its metadata block: an optional section after the user
 * metadata, {@code "checksums"} then its length, so files written before it existed read as having none and a
 * reader skips sections it does not know.
 */
final class ChecksumSection {

    static final String NAME = "checksums";
    private static final int MAX_PARTS = 10_000;

    private ChecksumSection() {
    }

    static void write(DataOutputStream out, StoredChecksums stored) throws IOException {
        if (stored.checksum() == null && stored.parts().isEmpty()) {
            return;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(64 + 24 * stored.parts().size());
        DataOutputStream section = new DataOutputStream(bytes);
        writeChecksum(section, stored.checksum());
        section.writeInt(stored.parts().size());
        for (PartInfo part : stored.parts()) {
            section.writeInt(part.partNumber());
            section.writeLong(part.size());
            writeChecksum(section, part.checksum());
        }
        section.flush();
        out.writeUTF(NAME);
        out.writeInt(bytes.size());
        bytes.writeTo(out);
    }

    /** Reads the sections left in the block; {@link StoredChecksums#NONE} when there is none. */
    static StoredChecksums read(DataInputStream in) throws IOException {
        StoredChecksums result = StoredChecksums.NONE;
        while (in.available() > 0) {
            String name = in.readUTF();
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("bad metadata section " + name);
            }
            if (!name.equals(NAME)) {
                in.skipBytes(length);
                continue;
            }
            ObjectChecksum checksum = readChecksum(in);
            int count = in.readInt();
            if (count < 0 || count > MAX_PARTS) {
                throw new IOException("bad part count in the checksum section");
            }
            List<PartInfo> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int number = in.readInt();
                long size = in.readLong();
                parts.add(new PartInfo(number, null, size, null, readChecksum(in)));
            }
            result = new StoredChecksums(checksum, parts.size(), parts);
        }
        return result;
    }

    private static void writeChecksum(DataOutputStream out, ObjectChecksum checksum) throws IOException {
        out.writeBoolean(checksum != null);
        if (checksum != null) {
            out.writeUTF(checksum.algorithm());
            out.writeUTF(checksum.type());
            out.writeBoolean(checksum.value() != null);
            if (checksum.value() != null) {
                out.writeUTF(checksum.value());
            }
        }
    }

    private static ObjectChecksum readChecksum(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String algorithm = in.readUTF();
        String type = in.readUTF();
        String value = in.readBoolean() ? in.readUTF() : null;
        return new ObjectChecksum(algorithm, value, type);
    }
}
