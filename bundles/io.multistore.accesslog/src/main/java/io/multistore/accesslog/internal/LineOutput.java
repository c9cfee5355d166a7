package io.multistore.accesslog.internal;

import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/** Where the access log's lines go. Called by one thread at a time unless an implementation says otherwise. */
interface LineOutput extends AutoCloseable {

    /** Writes the lines (UTF-8, without line breaks), in order. Never throws: a line that cannot be written is lost. */
    void write(List<byte[]> lines);

    @Override
    default void close() {
    }

    /** Each line a log event: the logging provider adds its prefix, and may write and flush line by line. */
    record ToLogger(Logger log) implements LineOutput {
        @Override
        public void write(List<byte[]> lines) {
            for (byte[] line : lines) {
                log.info(new String(line, StandardCharsets.UTF_8));
            }
        }

        @Override
        public String toString() {
            return "logger " + log.getName();
        }
    }

    /**
     * The output an operator named: {@code stdout}, {@code stderr}, {@code logger} or a file's path.
     *
     * @throws IllegalArgumentException when the file cannot be opened for appending
     */
    static LineOutput of(String output, Logger log) {
        String name = output == null ? "" : output.trim();
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "", "stdout" -> StreamOutput.standard(FileDescriptor.out, "stdout");
            case "stderr" -> StreamOutput.standard(FileDescriptor.err, "stderr");
            case "logger" -> new ToLogger(log);
            default -> StreamOutput.file(Path.of(name));
        };
    }
}
