package io.multistore.bench;

import io.multistore.accesslog.internal.AccessLog;
import io.multistore.api.observe.CompletedRequest;
import io.multistore.api.observe.RequestListener;
import io.multistore.console.internal.MultistorePage;
import io.multistore.metrics.internal.MetricsServlet;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the request listeners cost a request's own thread: the gateway builds the {@link CompletedRequest} of an
 * anonymous 4 KiB GET and tells the listeners of its start and end, as it does for every request. The listeners are
 * the real components (access log to a file, metrics, console counters), configured with their defaults. The access
 * log's writes happen on its own thread and are measured by {@code AccessLogBenchmark.writeBatch}.
 *
 * <p>Each operation also burns a fixed amount of CPU ({@code work}), standing in for serving the request: without it
 * the benchmark would complete requests faster than the access log's thread writes lines, and would measure that
 * thread's throughput (the queue full, requests waiting for room) instead of what a request pays. The cost of the
 * listeners is the difference to {@code listeners=none}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms64m", "-Xmx512m", "-XX:+UseSerialGC"})
public class ListenersBenchmark {

    /** Which listeners: all three, or one alone. */
    @Param({"none", "all", "accesslog", "metrics", "console"})
    public String listeners;

    /** {@link Blackhole#consumeCPU} tokens per request: a few microseconds. */
    @Param("1000")
    public long work;

    private final AtomicLong ids = new AtomicLong();
    private Path dir;
    private AccessLog accessLog;
    private List<RequestListener> active;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("listeners-bench");
        accessLog = new AccessLog(Configs.of(AccessLog.Config.class,
                Map.of("output", dir.resolve("access.log").toString())));
        MetricsServlet metrics = new MetricsServlet(Configs.of(MetricsServlet.Config.class, Map.of()));
        MultistorePage console = new MultistorePage(null);
        active = switch (listeners) {
            case "none" -> List.of();
            case "all" -> List.of(accessLog, metrics, console);
            case "accesslog" -> List.of(accessLog);
            case "metrics" -> List.of(metrics);
            case "console" -> List.of(console);
            default -> throw new IllegalArgumentException(listeners);
        };
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        Method deactivate = AccessLog.class.getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(accessLog);
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    /** As {@code S3Gateway.handle} does around serving the request. */
    @Benchmark
    public Object request(Blackhole bh) {
        Blackhole.consumeCPU(work);
        String requestId = Long.toHexString(0x1000_0000_0000_0000L + ids.incrementAndGet()).toUpperCase();
        long startedMillis = System.currentTimeMillis();
        List<RequestListener> listeners = active;
        if (listeners.isEmpty()) {
            // what every request pays, listeners or not
            bh.consume(startedMillis);
            return requestId;
        }
        for (RequestListener listener : listeners) {
            listener.started(requestId, "GET");
        }
        CompletedRequest completed = new CompletedRequest(requestId, Instant.ofEpochMilli(startedMillis), "GET",
                "GetObject", "pub", "obj4k", "anonymous", "127.0.0.1", "wrk", 200, null, 0, 4096, 48_000, 52_000,
                21_000, "fs");
        for (RequestListener listener : listeners) {
            listener.completed(completed);
        }
        return completed;
    }
}
