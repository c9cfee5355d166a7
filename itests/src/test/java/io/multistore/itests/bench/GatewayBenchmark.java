package io.multistore.itests.bench;

import io.multistore.itests.e2e.E2E;
import io.multistore.itests.e2e.MultistoreServer;
import io.multistore.itests.e2e.PatternStream;
import io.multistore.testsupport.AzuriteServer;
import io.multistore.testsupport.S3ProxyServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The load harness: the same workload sent through the gateway and straight to the backend (S3Proxy; Azurite for
 * the Azure lane), in one run.
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
     * The Azure lane: the same GETs and PUTs through the gateway's {@code az} bucket and straight to Azurite (Shared
     * Key signed with the account key, from the JDK's HTTP client), in one run; then the server's RSS. Written to
     * {@code itests/target/benchmark-azure.txt}.
     */
    @Test
    void azureProxyVersusDirect() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.start()) {
            azurite.createContainer("gateway");
            Path config = temp.resolve("azure.toml");
            Files.writeString(config, E2E.azureConfig(azurite));
            Path home = MultistoreServer.copyDistribution(temp.resolve("azure-server"), p -> true);
            HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(4)).build();
            try (MultistoreServer server = MultistoreServer.start(home, config, List.of(),
                    Map.of("RUST_LOG", "multistore=warn"));
                    S3Client proxied = client(server.endpoint(), E2E.KEY, E2E.SECRET)) {
                E2E.awaitReady(proxied, server, "az");
                // bucket "az" maps onto container "gateway" under prefix "gw": the same blobs for both paths
                byte[] small = new byte[4096];
                Arrays.fill(small, (byte) 'x');
                proxied.putObject(b -> b.bucket("az").key("bench/small"), RequestBody.fromBytes(small));
                String blobs = azurite.endpoint() + "/gateway/gw/bench/";

                StringBuilder report = new StringBuilder();
                report.append(String.format("%-34s %14s %14s %8s%n", "workload (Azure, Azurite)", "direct", "proxy",
                        "ratio"));
                double directPut = 0;
                double proxyPut = 0;
                for (int round = 0; round < 2; round++) {
                    long t0 = System.nanoTime();
                    int status = direct.send(azureRequest(blobs + "large", "PUT", "/gateway/gw/bench/large", LARGE,
                            Map.of("x-ms-blob-type", "BlockBlob")).PUT(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(LARGE, 7)),
                                    LARGE)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status != 201) {
                        throw new IllegalStateException("direct Put Blob answered " + status);
                    }
                    directPut = Math.max(directPut, mib(LARGE, System.nanoTime() - t0));
                    t0 = System.nanoTime();
                    proxied.putObject(b -> b.bucket("az").key("bench/large"), RequestBody.fromContentProvider(
                            () -> new PatternStream(LARGE, 7), LARGE, "application/octet-stream"));
                    proxyPut = Math.max(proxyPut, mib(LARGE, System.nanoTime() - t0));
                }
                double directGet = 0;
                byte[] buffer = new byte[1 << 16];
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    long total = 0;
                    try (InputStream in = direct.send(azureRequest(blobs + "large", "GET", "/gateway/gw/bench/large",
                            0, Map.of()).GET().build(), HttpResponse.BodyHandlers.ofInputStream()).body()) {
                        for (int n; (n = in.read(buffer)) > 0;) {
                            total += n;
                        }
                    }
                    directGet = Math.max(directGet, mib(total, System.nanoTime() - t0));
                }
                report.append(row("GET 256 MiB (MiB/s)", directGet, throughput(proxied, "az", "bench/large")));
                report.append(row("PUT 256 MiB (MiB/s)", directPut, proxyPut));

                Load directLoad = load(() -> {
                    HttpResponse<byte[]> r = direct.send(azureRequest(blobs + "small", "GET",
                            "/gateway/gw/bench/small", 0, Map.of()).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200 || r.body().length != small.length) {
                        throw new IllegalStateException("direct Get Blob answered " + r.statusCode());
                    }
                });
                Load proxyLoad = load(() -> proxied.getObjectAsBytes(b -> b.bucket("az").key("bench/small")));
                report.append(row("GET 4 KiB x32 (req/s)", directLoad.perSecond(), proxyLoad.perSecond()));
                report.append(row("GET 4 KiB x32 p50 (ms)", directLoad.p50(), proxyLoad.p50()));
                report.append(row("GET 4 KiB x32 p99 (ms)", directLoad.p99(), proxyLoad.p99()));
                report.append(String.format("gateway RSS after the run: %d MiB (JAVA_OPTS unset: the launcher's "
                        + "defaults)%n", rssKiB(server.pid()) / 1024));
                System.out.println(report);
                Files.writeString(Path.of(System.getProperty("project.build.directory", "target"),
                        "benchmark-azure.txt"), report.toString(), StandardCharsets.UTF_8);
            }
        }
    }

    private static HttpRequest.Builder azureRequest(String url, String method, String path, long length,
            Map<String, String> msHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        AzuriteServer.sharedKeyHeaders(method, path, "", length, msHeaders).forEach(request::header);
        return request;
    }

    /** Resident memory of a process (Linux), in KiB; 0 where unknown. */
    private static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return 0;
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

    /** One request of a load run. */
    interface Call {
        void run() throws Exception;
    }

    private static Load load(S3Client client, String bucket, String key) throws Exception {
        return load(() -> client.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
    }

    private static Load load(Call call) throws Exception {
        // warm-up: connections, JIT, caches
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
                long[] latencies = new long[1 << 16];
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

    private static S3Client client(URI endpoint, String accessKey, String secretKey) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(ApacheHttpClient.builder().maxConnections(CONCURRENCY * 2).build())
                .build();
    }
}
