package io.multistore.accesslog.internal;

import io.multistore.api.observe.CompletedRequest;
import java.io.FileDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/** Where the access log's lines go. Called by one thread at a time unless an implementation says otherwise. */
interface LineOutput extends AutoCloseable {

    /** Writes one line per request, in order. Never throws: a line that cannot be written is lost. */
    void write(List<CompletedRequest> batch);

    @Override
    default void close() {
    }

    /** Each line a log event: the logging provider adds its prefix, and may write and flush line by line. */
    record ToLogger(Logger log, AccessLogFormat format) implements LineOutput {
        @Override
        public void write(List<CompletedRequest> batch) {
            for (CompletedRequest r : batch) {
                log.info(format.line(r));
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
    static LineOutput of(String output, AccessLogFormat format, Logger log) {
        String name = output == null ? "" : output.trim();
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "", "stdout" -> StreamOutput.standard(format, FileDescriptor.out, "stdout");
            case "stderr" -> StreamOutput.standard(format, FileDescriptor.err, "stderr");
            case "logger" -> new ToLogger(log, format);
            default -> StreamOutput.file(format, Path.of(name));
        };
    }
}
