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
 * <li>GET and PUT throughput of a 256 MiB object (MiB/s, best of a few rounds);</li>
 * <li>signed 4 KiB GETs from 32 concurrent clients for a fixed time: requests/s, p50 and p99 latency;</li>
 * <li>1,000 concurrent slow downloads (clients reading at ~100 KiB/s) through one server: every download completes,
 * the server's RSS stays bounded, and 4 KiB GETs keep their latency meanwhile ({@link #thousandSlowDownloads()}).</li>
 * </ul>
 * Not part of the test suite: {@code mvn -pl itests verify -Pbenchmark} (after a full build); one lane alone with
 * {@code -Dtest=GatewayBenchmark#thousandSlowDownloads}. Prints a table and writes it to
 * {@code itests/target/benchmark*.txt}. {@code -Dbench.java.opts=...} passes JVM options to the server.
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
                report.append(row("PUT 256 MiB (MiB/s)", putThroughput(direct, "backend", "gw/bench/put"),
                        putThroughput(proxied, "data", "bench/put")));

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
     * 1,000 clients each download a 4 MiB object at ~100 KiB/s (small receive buffers, so the server really holds
     * each stream for most of its ~40 s), while 4 KiB GETs probe the latency of everything else. Reports the
     * server's peak RSS and the probes' p50/p99 before and during the slow downloads.
     */
    @Test
    void thousandSlowDownloads() throws Exception {
        int clients = Integer.getInteger("bench.slow.clients", 1000);
        int rate = 100 * 1024;
        long size = 4L << 20;
        try (S3ProxyServer s3proxy = S3ProxyServer.builder().filesystem(temp.resolve("s3proxy-slow"))
                .property("s3proxy.jetty.max-threads", Integer.toString(clients + 200)).start()) {
            s3proxy.createBucket("backend");
            Path config = temp.resolve("slow.toml");
            Files.writeString(config, E2E.config(s3proxy));
            Path home = MultistoreServer.copyDistribution(temp.resolve("slow-server"), p -> true);
            try (MultistoreServer server = MultistoreServer.start(home, config, List.of(), serverEnv());
                    S3Client direct = client(s3proxy.endpointUri(), s3proxy.identity(), s3proxy.credential());
                    S3Client proxied = client(server.endpoint(), E2E.KEY, E2E.SECRET)) {
                E2E.awaitReady(proxied, server, "data");
                direct.putObject(b -> b.bucket("backend").key("pub/bench/slow"), RequestBody.fromContentProvider(
                        () -> new io.multistore.itests.e2e.PatternStream(size, 11), size,
                        "application/octet-stream"));
                direct.putObject(b -> b.bucket("backend").key("pub/bench/small"),
                        RequestBody.fromBytes(new byte[4096]));
                URI small = URI.create(server.endpoint() + "/public/bench/small");
                Probe idle = Probe.run(small, Duration.ofSeconds(10), () -> false);
                long rssIdle = rssMiB(server.pid());

                ExecutorService pool = Executors.newFixedThreadPool(clients);
                long start = System.nanoTime();
                List<Future<Long>> downloads = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    downloads.add(pool.submit(() -> slowDownload(server.port(), "/public/bench/slow", rate)));
                }
                long[] peak = {0};
                Thread sampler = new Thread(() -> {
                    while (!pool.isTerminated()) {
                        peak[0] = Math.max(peak[0], rssMiB(server.pid()));
                        MultistoreServer.sleep(500);
                    }
                });
                sampler.start();
                pool.shutdown();
                Probe during = Probe.run(small, Duration.ofMinutes(5), pool::isTerminated);
                int complete = 0;
                List<String> failures = new ArrayList<>();
                for (Future<Long> f : downloads) {
                    try {
                        if (f.get() == size) {
                            complete++;
                        } else {
                            failures.add("short: " + f.get());
                        }
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(String.valueOf(e.getCause()));
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                sampler.join();
                String report = String.format("""
                        %d slow downloads of 4 MiB at 100 KiB/s: %d complete in %.0f s%s
                        server RSS: %d MiB idle, %d MiB peak during the downloads
                        4 KiB GET latency (ms): p50 %.1f / p99 %.1f idle, p50 %.1f / p99 %.1f during (%d probes, \
                        %d not 200)
                        """, clients, complete, seconds, failures.isEmpty() ? "" : "; first failures: "
                        + failures.subList(0, Math.min(3, failures.size())), rssIdle, peak[0], idle.p50(), idle.p99(),
                        during.p50(), during.p99(), during.count(), during.failures());
                System.out.println(report);
                Files.writeString(Path.of(System.getProperty("project.build.directory", "target"),
                        "benchmark-slow.txt"), report, StandardCharsets.UTF_8);
                org.junit.jupiter.api.Assertions.assertEquals(clients, complete, report);
            }
        }
    }

    private static Map<String, String> serverEnv() {
        String opts = System.getProperty("bench.java.opts", "");
        return opts.isBlank() ? Map.of("RUST_LOG", "multistore=warn")
                : Map.of("RUST_LOG", "multistore=warn", "JAVA_OPTS", opts);
    }

    /** One client reading at {@code rate} bytes/s through a small receive buffer; returns the body's length. */
    private static long slowDownload(int port, String path, int rate) throws Exception {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 30_000);
            socket.setSoTimeout(120_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new java.io.EOFException("no answer");
                }
                head.append((char) b);
            }
            if (!head.toString().startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException(head.substring(0, head.indexOf("\r\n")));
            }
            byte[] chunk = new byte[rate / 10];
            long total = 0;
            long begin = System.nanoTime();
            for (int n; (n = in.read(chunk)) > 0;) {
                total += n;
                long due = begin + total * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            return total;
        }
    }

    private static long rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** 4 KiB GETs from 4 sequential clients until {@code done} or the time is up: latency, and answers not 200. */
    record Probe(long[] latenciesNanos, int failures) {
        static Probe run(URI uri, Duration max, java.util.function.BooleanSupplier done) throws Exception {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            long end = System.nanoTime() + max.toNanos();
            ExecutorService probes = Executors.newFixedThreadPool(4);
            List<Future<long[]>> results = new ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < 4; i++) {
                results.add(probes.submit(() -> {
                    long[] latencies = new long[1 << 16];
                    int count = 0;
                    while (System.nanoTime() < end && !done.getAsBoolean() && count < latencies.length) {
                        long t0 = System.nanoTime();
                        var response = http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() == 200) {
                            latencies[count++] = System.nanoTime() - t0;
                        } else {
                            failures.incrementAndGet();
                        }
                        Thread.sleep(20);
                    }
                    return Arrays.copyOf(latencies, count);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : results) {
                all.add(f.get());
            }
            probes.shutdown();
            return new Probe(all.stream().flatMapToLong(Arrays::stream).sorted().toArray(), failures.get());
        }

        int count() {
            return latenciesNanos.length;
        }

        double p50() {
            return new Load(count(), 1, latenciesNanos).p50();
        }

        double p99() {
            return new Load(count(), 1, latenciesNanos).p99();
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
        Files.writeString(config, E2E.fsConfig(root, false, "bench",
                "\"get_object\", \"head_object\", \"put_object\", \"delete_object\", \"list_bucket\""));
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

    /**
     * The cost of the request listeners on the fs lane: signed 4 KiB GETs (32 clients) against the distribution with
     * and without the listener bundles (access log, metrics, console counters), alternating twice, best of each.
     */
    @Test
    void listenerCostOnFilesystemGets() throws Exception {
        Path root = temp.resolve("listener-root");
        Path config = temp.resolve("listener.toml");
        Files.writeString(config, E2E.fsConfig(root, false, "bench",
                "\"get_object\", \"head_object\", \"put_object\", \"delete_object\", \"list_bucket\""));
        Path with = MultistoreServer.copyDistribution(temp.resolve("with-listeners"), p -> true);
        Path without = MultistoreServer.copyDistribution(temp.resolve("without-listeners"), p -> {
            String name = p.getFileName().toString();
            return !(name.startsWith("io.multistore.accesslog") || name.startsWith("io.multistore.metrics")
                    || name.startsWith("io.multistore.console"));
        });
        // throughput on a shared machine is noisy; the server's CPU time per request is the steadier figure
        Small withBest;
        Small withoutBest;
        // alternating, and the other one first in the second round, so neither gains from going first or last
        withoutBest = smallGets(without, config);
        withBest = smallGets(with, config);
        withBest = Small.better(withBest, smallGets(with, config));
        withoutBest = Small.better(withoutBest, smallGets(without, config));
        String report = String.format("%-34s %14s %14s %8s%n", "GET 4 KiB x32, fs", "no listeners", "listeners",
                "cost")
                + String.format("%-34s %14.0f %14.0f %7.1f%%%n", "req/s (best of 2)", withoutBest.perSecond(),
                        withBest.perSecond(), 100 * (1 - withBest.perSecond() / withoutBest.perSecond()))
                + String.format("%-34s %14.1f %14.1f %7.1f%%%n", "server CPU us/request (best of 2)",
                        withoutBest.cpuMicros(), withBest.cpuMicros(),
                        100 * (withBest.cpuMicros() / withoutBest.cpuMicros() - 1));
        System.out.println(report);
        Files.writeString(Path.of(System.getProperty("project.build.directory", "target"),
                "benchmark-listeners.txt"), report, StandardCharsets.UTF_8);
    }

    /** Requests per second and the server's CPU time per request of one run. */
    record Small(double perSecond, double cpuMicros) {
        static Small better(Small a, Small b) {
            return a == null ? b : new Small(Math.max(a.perSecond, b.perSecond), Math.min(a.cpuMicros, b.cpuMicros));
        }
    }

    private Small smallGets(Path home, Path config) throws Exception {
        try (MultistoreServer server = MultistoreServer.start(home, config, List.of(),
                Map.of("RUST_LOG", "multistore=warn"));
                S3Client proxied = client(server.endpoint(), E2E.KEY, E2E.SECRET)) {
            E2E.awaitReady(proxied, server, "local");
            byte[] small = new byte[4096];
            Arrays.fill(small, (byte) 'x');
            proxied.putObject(b -> b.bucket("local").key("bench/small"), RequestBody.fromBytes(small));
            Call get = () -> proxied.getObjectAsBytes(b -> b.bucket("local").key("bench/small"));
            runFor(get, WARM_UP);
            ProcessHandle process = ProcessHandle.of(server.pid()).orElseThrow();
            Duration cpu0 = process.info().totalCpuDuration().orElseThrow();
            Load load = runFor(get, SMALL_GET_DURATION);
            Duration cpu1 = process.info().totalCpuDuration().orElseThrow();
            return new Small(load.perSecond(), cpu1.minus(cpu0).toNanos() / 1e3 / load.requests());
        }
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

    /** Best of two 256 MiB uploads of generated bytes (no disk read on the client side). */
    private static double putThroughput(S3Client client, String bucket, String key) {
        double best = 0;
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromContentProvider(
                    () -> new io.multistore.itests.e2e.PatternStream(LARGE, 13), LARGE, "application/octet-stream"));
            best = Math.max(best, mib(LARGE, System.nanoTime() - start));
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
