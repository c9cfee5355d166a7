package io.multistore.accesslog.internal;

import io.multistore.api.observe.CompletedRequest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The access log's work per line: formatting a request's line (on the request's thread) and writing a full batch of
 * lines to a file (on the access log's thread, as under load). The requests are anonymous 4 KiB GETs. The file is
 * emptied before every iteration so that it stays in the page cache.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms64m", "-Xmx512m", "-XX:+UseSerialGC"})
public class AccessLogBenchmark {

    private static final int BATCH = 1024;

    @Param({"json", "s3"})
    public String format;

    /** {@code file}: a file in the temporary directory; {@code null}: /dev/null, the system call only. */
    @Param({"file", "null"})
    public String sink;

    private Path file;
    private StreamOutput output;
    private final List<CompletedRequest> requests = new ArrayList<>(BATCH);
    private final List<byte[]> lines = new ArrayList<>(BATCH);
    private AccessLogFormat lineFormat;
    private int next;

    @Setup(Level.Trial)
    public void start() throws IOException {
        file = Files.createTempFile("access-log-bench", ".log");
        output = StreamOutput.file(sink.equals("null") ? Path.of("/dev/null") : file);
        lineFormat = AccessLogFormat.of(format);
        long millis = System.currentTimeMillis();
        for (int i = 0; i < BATCH; i++) {
            requests.add(new CompletedRequest(Long.toHexString(0x1000_0000_0000_0000L + i).toUpperCase(),
                    Instant.ofEpochMilli(millis + i / 32), "GET", "GetObject", "pub", "obj4k", "anonymous",
                    "127.0.0.1", "wrk", 200, null, 0, 4096, 48_000, 52_000, 21_000, "fs"));
            lines.add(lineFormat.bytes(requests.get(i)));
        }
    }

    @Setup(Level.Iteration)
    public void empty() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        output.close();
        Files.delete(file);
    }

    /** On the request's thread. */
    @Benchmark
    public byte[] formatLine() {
        next = (next + 1) % BATCH;
        return lineFormat.bytes(requests.get(next));
    }

    /** On the access log's thread. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writeBatch() {
        output.write(lines);
    }
}
