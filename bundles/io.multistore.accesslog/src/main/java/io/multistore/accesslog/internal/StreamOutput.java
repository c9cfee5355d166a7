package io.multistore.accesslog.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bare lines to standard output, standard error or a file: a batch is gathered into one buffer and written with
 * one system call, where a logger would write and flush each line on its own. A file is opened for
 * appending and reopened when it has been moved away or removed (checked at most once a second), so log rotation
 * needs no signal and no {@code copytruncate}. A write that fails is reported once at ERROR (someone must free the
 * disk or fix the permissions) and once at INFO when lines are written again; the lines in between are lost.
 */
final class StreamOutput implements LineOutput {

    private static final Logger LOG = LoggerFactory.getLogger(StreamOutput.class);
    /** Bytes gathered before they are written, so a large batch never builds a large buffer. */
    private static final int WRITE_BYTES = 64 * 1024;
    private static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    /** {@code null} for standard output and standard error, which are never reopened or closed. */
    private final Path file;
    private final LineBuffer text = new LineBuffer(WRITE_BYTES + 1024);
    private OutputStream out;
    private Object fileKey;
    private long checkedNanos;
    private boolean failing;

    StreamOutput(String name, Path file, OutputStream out) {
        this.name = name;
        this.file = file;
        this.out = out;
    }

    static StreamOutput standard(FileDescriptor fd, String name) {
        return new StreamOutput(name, null, new FileOutputStream(fd));
    }

    static StreamOutput file(Path file) {
        StreamOutput output = new StreamOutput(file.toString(), file, null);
        try {
            output.open();
        } catch (IOException e) {
            throw new IllegalArgumentException("the access log file " + file + " cannot be opened for appending: "
                    + e, e);
        }
        return output;
    }

    /** Synchronized: after the writer thread has stopped, requests finishing late write on their own threads. */
    @Override
    public synchronized void write(List<byte[]> lines) {
        try {
            if (file != null) {
                reopenIfMoved();
            }
            for (byte[] line : lines) {
                text.raw(line).ascii('\n');
                if (text.length() >= WRITE_BYTES) {
                    writeText();
                }
            }
            writeText();
            if (failing) {
                failing = false;
                LOG.info("The access log is written to {} again", name);
            }
        } catch (IOException e) {
            text.clear();
            if (!failing) {
                failing = true;
                LOG.error("The access log cannot be written to {}: {}; its lines are lost until it can", name,
                        e.toString());
            }
        }
    }

    private void writeText() throws IOException {
        if (text.length() == 0) {
            return;
        }
        try {
            if (out == null) {
                throw new IOException("not open");
            }
            text.writeTo(out);
        } finally {
            text.clear();
        }
    }

    private void reopenIfMoved() throws IOException {
        long now = System.nanoTime();
        if (out != null && now - checkedNanos < CHECK_NANOS) {
            return;
        }
        checkedNanos = now;
        if (out != null && Objects.equals(fileKey, currentKey())) {
            return;
        }
        if (out != null) {
            closeQuietly();
            LOG.info("The access log file {} was moved or removed: writing to a new one", file);
        }
        open();
    }

    private Object currentKey() {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return fileKey; // unreadable attributes: keep writing where we write
        }
    }

    private void open() throws IOException {
        out = new FileOutputStream(file.toFile(), true);
        fileKey = currentKey();
        checkedNanos = System.nanoTime();
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("Closing the access log file {} failed", file, e);
        }
        out = null;
    }

    @Override
    public synchronized void close() {
        if (file != null && out != null) {
            closeQuietly();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
