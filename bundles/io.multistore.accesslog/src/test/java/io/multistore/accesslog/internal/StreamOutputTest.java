package io.multistore.accesslog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.observe.CompletedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class StreamOutputTest {

    @TempDir
    Path dir;

    static CompletedRequest request(int i) {
        return new CompletedRequest("REQ" + i, Instant.parse("2026-11-30T12:00:01.250Z"), "GET", "GetObject", "data",
                "key-" + i, "alice", "127.0.0.1", "aws-cli/2", 200, null, 0, 4096, 2_000_000, 5_500_000, 1_000_000);
    }

    /** The JSON lines of requests {@code from} to {@code to}. */
    static List<byte[]> requests(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> AccessLogFormat.JSON.bytes(request(i))).toList();
    }

    /** Counts the writes that reach the stream: a batch is meant to be one system call, not one per line. */
    static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;
        boolean broken;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (broken) {
                throw new IOException("No space left on device");
            }
            writes++;
            bytes.write(b, off, len);
        }

        List<String> lines() {
            return bytes.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void aBatchIsWrittenAsBareLinesInOneWrite() {
        CountingStream out = new CountingStream();
        StreamOutput output = new StreamOutput("test", null, out);
        output.write(requests(0, 100));
        assertEquals(1, out.writes, "one write for the batch");
        List<String> lines = out.lines();
        assertEquals(100, lines.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(AccessLogFormat.JSON.line(request(i)), lines.get(i), "line " + i);
        }
    }

    @Test
    void aLargeBatchIsWrittenInBoundedPiecesInOrder() {
        CountingStream out = new CountingStream();
        StreamOutput output = new StreamOutput("test", null, out);
        // about 200 KB of text
        output.write(IntStream.range(0, 2_000).mapToObj(i -> AccessLogFormat.S3.bytes(request(i))).toList());
        assertTrue(out.writes > 1 && out.writes < 10, "writes: " + out.writes);
        List<String> lines = out.lines();
        assertEquals(2_000, lines.size());
        assertTrue(lines.get(1_999).contains(" REQ1999 "), lines.get(1_999));
    }

    @Test
    void aFailingStreamLosesTheBatchButNeverThrowsAndRecovers() {
        CountingStream out = new CountingStream();
        StreamOutput output = new StreamOutput("test", null, out);
        out.broken = true;
        output.write(requests(0, 3));
        output.write(requests(3, 6));
        out.broken = false;
        output.write(requests(6, 8));
        List<String> lines = out.lines();
        assertEquals(2, lines.size(), "only the lines written after recovery, nothing half-written: " + lines);
        assertTrue(lines.get(0).contains("\"request_id\":\"REQ6\""), lines.get(0));
    }

    @Test
    void aFileIsAppendedToAndReopenedWhenRotationMovesItAway() throws Exception {
        Path file = dir.resolve("access.log");
        Files.writeString(file, "kept\n");
        LineOutput output = LineOutput.of(file.toString(), null);
        try {
            output.write(requests(0, 2));
            assertEquals(3, Files.readAllLines(file).size(), "appended after what was there");
            Path rotated = dir.resolve("access.log.1");
            Files.move(file, rotated);
            output.write(requests(2, 3)); // within the second: still the moved file
            Thread.sleep(1_100);
            output.write(requests(3, 5));
            assertEquals(4, Files.readAllLines(rotated).size());
            List<String> fresh = Files.readAllLines(file);
            assertEquals(2, fresh.size(), "a new file after rotation: " + fresh);
            assertTrue(fresh.get(0).contains("\"request_id\":\"REQ3\""), fresh.get(0));
        } finally {
            output.close();
        }
    }

    @Test
    void aFileThatCannotBeOpenedIsRefusedAtActivation() {
        Path missing = dir.resolve("no/such/dir/access.log");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LineOutput.of(missing.toString(), null));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void theAccessLogWritesEveryRequestToItsFileByStopAndTheLoggerLevelSwitchesIt() throws Exception {
        Path file = dir.resolve("a.log");
        AccessLog log = new AccessLog(logger(true, new ArrayList<>()), true, AccessLogFormat.JSON, file.toString(),
                64);
        for (int i = 0; i < 1_000; i++) {
            log.completed(request(i));
        }
        log.deactivate();
        List<String> lines = Files.readAllLines(file);
        assertEquals(1_000, lines.size());
        assertTrue(lines.get(999).contains("\"request_id\":\"REQ999\""), lines.get(999));

        Path silenced = dir.resolve("b.log");
        AccessLog off = new AccessLog(logger(false, new ArrayList<>()), true, AccessLogFormat.JSON,
                silenced.toString(), 64);
        off.completed(request(1));
        off.deactivate();
        assertEquals(0, Files.size(silenced), "the logger's level is off");
    }

    @Test
    void outputLoggerMakesEachLineALogEvent() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        AccessLog log = new AccessLog(logger(true, events), true, AccessLogFormat.JSON, "logger", 0);
        log.completed(request(7));
        log.deactivate();
        assertEquals(List.of(AccessLogFormat.JSON.line(request(7))), events);
    }

    /** A logger at INFO (or off) that keeps what it is given. */
    static Logger logger(boolean info, List<String> events) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isInfoEnabled" -> info;
                    case "getName" -> "test";
                    case "info" -> {
                        events.add(String.valueOf(args[0]));
                        yield null;
                    }
                    default -> method.getReturnType() == boolean.class ? false : null;
                });
    }
}
