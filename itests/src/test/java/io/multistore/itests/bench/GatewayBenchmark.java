package io.multistore.itests.bench;

import io.multistore.itests.e2e.E2E;
import io.multistore.itests.e2e.MultistoreServer;
import io.multistore.testsupport.S3ProxyServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The load harness: the same workload sent through the gateway and straight to S3Proxy, in one run.
 * <ul>
 * <li>GET throughput of a 256 MiB object (MiB/s, best of a few rounds);</li>
 * <li>signed 4 KiB GETs from 32 concurrent clients for a fixed time: requests/s, p50 and p99 latency.</li>
 * </ul>
 * Not part of the test suite: {@code mvn -pl itests verify -Pbenchmark} (after a full build). Prints a table and
 * writes it to {@code itests/target/benchmark.txt}.
 */
@Tag("benchmark")
class GatewayBenchmark {
    static final int CONCURRENCY = 32;
    static final Duration SMALL_GET_DURATION = Duration.ofSeconds(Long.getLong("bench.seconds", 15));
    /** Long enough for C2 to compile the SDK paths on both sides on a 2-core machine. */
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 15));
    static final long LARGE = 256L << 20;

    @TempDir
    Path temp;

    @Test
    void proxyVersusDirect() throws Exception {
        try (S3ProxyServer s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy")).start()) {
            s3proxy.createBucket("backend");
            Path config = temp.resolve("config.toml");
            Files.writeString(config, E2E.config(s3proxy));
            Path home = MultistoreServer.copyDistribution(temp.resolve("server"), p -> true);
            try (MultistoreServer server = MultistoreServer.start(home, config, List.of(),
                    Map.of("RUST_LOG", "multistore=warn"));
                    S3Client direct = client(s3proxy.endpointUri(), s3proxy.identity(), s3proxy.credential());
                    S3Client proxied = client(server.endpoint(), E2E.KEY, E2E.SECRET)) {
                E2E.awaitReady(proxied, server, "data");
                // the gateway maps bucket "data" to "backend" under prefix "gw/": the same bytes for both paths
                byte[] small = new byte[4096];
                Arrays.fill(small, (byte) 'x');
                direct.putObject(b -> b.bucket("backend").key("gw/bench/small"), RequestBody.fromBytes(small));
                direct.putObject(b -> b.bucket("backend").key("gw/bench/large"), RequestBody.fromContentProvider(
                        () -> new io.multistore.itests.e2e.PatternStream(LARGE, 7), LARGE, "application/octet-stream"));

                StringBuilder report = new StringBuilder();
                report.append(String.format("%-34s %14s %14s %8s%n", "workload", "direct", "proxy", "ratio"));
                double directMiBs = throughput(direct, "backend", "gw/bench/large");
                double proxyMiBs = throughput(proxied, "data", "bench/large");
                report.append(row("GET 256 MiB (MiB/s)", directMiBs, proxyMiBs));

                Load directLoad = load(direct, "backend", "gw/bench/small");
                Load proxyLoad = load(proxied, "data", "bench/small");
                report.append(row("GET 4 KiB x32 (req/s)", directLoad.perSecond(), proxyLoad.perSecond()));
                report.append(row("GET 4 KiB x32 p50 (ms)", directLoad.p50(), proxyLoad.p50()));
                report.append(row("GET 4 KiB x32 p99 (ms)", directLoad.p99(), proxyLoad.p99()));
                System.out.println(report);
                Files.writeString(Path.of(System.getProperty("project.build.directory", "target"),
                        "benchmark.txt"), report.toString(), StandardCharsets.UTF_8);
            }
        }
    }


    /**
     * The filesystem backend: 1 GiB PUT and GET through the gateway versus writing and reading the same bytes as a
     * file directly, dd-style (64 KiB buffers, fsync after the write as the backend does).
     */
    @Test
    void filesystemProxyVersusDirectFile() throws Exception {
        long size = 1L << 30;
        Path root = temp.resolve("fs-root");
        Path config = temp.resolve("fs.toml");
        Files.writeString(config, """
                [[buckets]]
                name = "local"
                backend_type = "fs"
                anonymous_access = false
                [buckets.backend_options]
                root = "%s"

                [[credentials]]
                access_key_id = "%s"
                secret_access_key = "%s"
                principal_name = "bench"
                created_at = "2026-01-01T00:00:00Z"
                [[credentials.allowed_scopes]]
                bucket = "local"
                actions = ["get_object", "head_object", "put_object", "delete_object", "list_bucket"]
                """.formatted(root, E2E.KEY, E2E.SECRET));
        Path home = MultistoreServer.copyDistribution(temp.resolve("fs-server"), p -> true);
        StringBuilder report = new StringBuilder();
        report.append(String.format("%-34s %14s %14s %8s%n", "workload (fs backend)", "direct file", "proxy", "ratio"));
        try (MultistoreServer server = MultistoreServer.start(home, config, List.of(),
                Map.of("RUST_LOG", "multistore=warn"));
                S3Client proxied = client(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            E2E.awaitReady(proxied, server, "local");
            Path direct = temp.resolve("direct.bin");
            long t0 = System.nanoTime();
            try (var out = java.nio.channels.FileChannel.open(direct, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
                    InputStream in = new io.multistore.itests.e2e.PatternStream(size, 9)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0;) {
                    out.write(java.nio.ByteBuffer.wrap(buffer, 0, n));
                }
                out.force(true);
            }
            double directPut = mib(size, System.nanoTime() - t0);
            t0 = System.nanoTime();
            proxied.putObject(b -> b.bucket("local").key("bench/1gib"), RequestBody.fromContentProvider(
                    () -> new io.multistore.itests.e2e.PatternStream(size, 9), size, "application/octet-stream"));
            double proxyPut = mib(size, System.nanoTime() - t0);
            report.append(row("PUT 1 GiB (MiB/s)", directPut, proxyPut));

            double directGet = 0;
            byte[] buffer = new byte[1 << 16];
            for (int round = 0; round < 3; round++) {
                t0 = System.nanoTime();
                try (InputStream in = Files.newInputStream(direct)) {
                    while (in.read(buffer) > 0) {
                        // read through
                    }
                }
                directGet = Math.max(directGet, mib(size, System.nanoTime() - t0));
            }
            report.append(row("GET 1 GiB (MiB/s)", directGet, throughput(proxied, "local", "bench/1gib")));
        }
        System.out.println(report);
        Files.writeString(Path.of(System.getProperty("project.build.directory", "target"), "benchmark-fs.txt"),
                report.toString(), StandardCharsets.UTF_8);
    }

    /**
     * The GCS lane: the gateway on fake-gcs-server versus fake-gcs-server straight (its XML API object URL for GETs,
     * its JSON media upload for the PUT, through the JDK's HTTP client), in one run: 4 KiB GETs from 32 clients,
     * 256 MiB GET and PUT, and the gateway's RSS afterwards. Writes {@code target/benchmark-gcs.txt}.
     */
    @Test
    void gcsProxyVersusDirect() throws Exception {
        try (io.multistore.testsupport.FakeGcsServer gcs = io.multistore.testsupport.FakeGcsServer.start()) {
            gcs.createBucket("backend");
            Path config = temp.resolve("gcs.toml");
            Files.writeString(config, E2E.gcsConfig(gcs));
            Path home = MultistoreServer.copyDistribution(temp.resolve("gcs-server"), p -> true);
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            try (MultistoreServer server = MultistoreServer.start(home, config, List.of(),
                    Map.of("RUST_LOG", "multistore=warn"));
                    S3Client proxied = client(server.endpoint(), E2E.KEY, E2E.SECRET)) {
                E2E.awaitReady(proxied, server, "data");
                byte[] small = new byte[4096];
                Arrays.fill(small, (byte) 'x');
                proxied.putObject(b -> b.bucket("data").key("bench/small"), RequestBody.fromBytes(small));
                URI directSmall = URI.create(gcs.endpoint() + "/backend/gw/bench/small");

                StringBuilder report = new StringBuilder();
                report.append(String.format("%-34s %14s %14s %8s%n", "workload (GCS)", "direct", "proxy", "ratio"));
                long t0 = System.nanoTime();
                proxied.putObject(b -> b.bucket("data").key("bench/large"), RequestBody.fromContentProvider(
                        () -> new io.multistore.itests.e2e.PatternStream(LARGE, 7), LARGE,
                        "application/octet-stream"));
                double proxyPut = mib(LARGE, System.nanoTime() - t0);
                t0 = System.nanoTime();
                var put = http.send(java.net.http.HttpRequest.newBuilder(URI.create(gcs.endpoint()
                        + "/upload/storage/v1/b/backend/o?uploadType=media&name=gw/bench/direct"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.fromPublisher(
                                java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new io.multistore.itests.e2e.PatternStream(LARGE, 7)), LARGE))
                        .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                double directPut = mib(LARGE, System.nanoTime() - t0);
                if (put.statusCode() != 200) {
                    throw new IllegalStateException("direct upload answered " + put.statusCode());
                }
                report.append(row("PUT 256 MiB (MiB/s)", directPut, proxyPut));
                double directGet = 0;
                for (int round = 0; round < 3; round++) {
                    long start = System.nanoTime();
                    var get = http.send(java.net.http.HttpRequest.newBuilder(URI.create(gcs.endpoint()
                            + "/backend/gw/bench/large")).build(), java.net.http.HttpResponse.BodyHandlers
                            .ofInputStream());
                    long total;
                    try (InputStream in = get.body()) {
                        total = in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                    directGet = Math.max(directGet, mib(total, System.nanoTime() - start));
                }
                report.append(row("GET 256 MiB (MiB/s)", directGet, throughput(proxied, "data", "bench/large")));

                Load directLoad = load(() -> {
                    var r = http.send(java.net.http.HttpRequest.newBuilder(directSmall).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("direct GET answered " + r.statusCode());
                    }
                });
                Load proxyLoad = load(() -> proxied.getObjectAsBytes(b -> b.bucket("data").key("bench/small")));
                report.append(row("GET 4 KiB x32 (req/s)", directLoad.perSecond(), proxyLoad.perSecond()));
                report.append(row("GET 4 KiB x32 p50 (ms)", directLoad.p50(), proxyLoad.p50()));
                report.append(row("GET 4 KiB x32 p99 (ms)", directLoad.p99(), proxyLoad.p99()));
                report.append(String.format("%-34s %14s %14d%n", "gateway RSS after the run (MiB)", "",
                        rssKiB(server.pid()) / 1024));
                System.out.println(report);
                Files.writeString(Path.of(System.getProperty("project.build.directory", "target"),
                        "benchmark-gcs.txt"), report.toString(), StandardCharsets.UTF_8);
            }
        }
    }

    /** One request of a load run. */
    interface Call {
        void run() throws Exception;
    }

    private static Load load(Call call) throws Exception {
        runFor(call, WARM_UP);
        return runFor(call, SMALL_GET_DURATION);
    }

    private static Load runFor(Call call, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            futures.add(pool.submit(() -> {
                long[] latencies = new long[1 << 18];
                int count = 0;
                while (System.nanoTime() < end && count < latencies.length) {
                    long t0 = System.nanoTime();
                    call.run();
                    latencies[count++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(latencies, count);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Load(merged.length, seconds, merged);
    }

    /** Resident memory of a process and its descendants (the launcher script and the JVM), from /proc. */
    private static long rssKiB(long pid) {
        List<Long> pids = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        long total = 0;
        for (long p : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + p + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (java.io.IOException | NumberFormatException e) {
                // gone or unreadable: not counted
            }
        }
        return total;
    }

    private static double mib(long bytes, long nanos) {
        return bytes / (1024.0 * 1024.0) / (nanos / 1e9);
    }

    private static String row(String name, double direct, double proxy) {
        return String.format("%-34s %14.1f %14.1f %7.2fx%n", name, direct, proxy, proxy / direct);
    }

    private static double throughput(S3Client client, String bucket, String key) throws Exception {
        double best = 0;
        byte[] buffer = new byte[1 << 16];
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            long total = 0;
            try (InputStream in = client.getObject(b -> b.bucket(bucket).key(key))) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    total += n;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            best = Math.max(best, total / (1024.0 * 1024.0) / seconds);
        }
        return best;
    }

    record Load(long requests, double seconds, long[] latenciesNanos) {
        double perSecond() {
            return requests / seconds;
        }

        double p50() {
            return percentile(0.50);
        }

        double p99() {
            return percentile(0.99);
        }

        double percentile(double p) {
            int index = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, index)] / 1e6;
        }
    }

    private static Load load(S3Client client, String bucket, String key) throws Exception {
        return load(() -> client.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
    }

    private static S3Client client(URI endpoint, String accessKey, String secretKey) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(ApacheHttpClient.builder().maxConnections(CONCURRENCY * 2).build())
                .build();
    }
}
