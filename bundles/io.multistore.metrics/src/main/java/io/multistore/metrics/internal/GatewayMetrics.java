package io.multistore.metrics.internal;

import io.multistore.api.observe.CompletedRequest;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The gateway's request metrics, fed by completed requests. Labels are bounded: the operation (a fixed set of S3
 * operations and route names), the status, the S3 error code, and — only when enabled — the bucket, capped at a
 * number of distinct names beyond which buckets count as {@code _other}. No key, principal or address is a label.
 * Data points are cached per label combination so a request costs a few map lookups and adds.
 */
final class GatewayMetrics {

    static final String OTHER = "_other";
    /** S3 error codes that mean the caller was not authenticated or not allowed. */
    static final Set<String> AUTH_CODES = Set.of("AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId",
            "ExpiredToken", "InvalidToken", "AuthorizationHeaderMalformed", "AuthorizationQueryParametersError",
            "RequestTimeTooSkewed", "MissingSecurityHeader", "InvalidSecurity");

    private final Counter requests;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter errors;
    private final Counter authFailures;
    private final Counter backendErrors;
    private final Histogram duration;
    private final Histogram firstByte;
    private final Histogram backend;
    private final boolean bucketLabel;
    private final int maxBuckets;
    private final Set<String> buckets = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<Labels, Points> points = new ConcurrentHashMap<>();

    /** A label combination, looked up per request without building a string. */
    private record Labels(String operation, int status, String bucket) {
    }

    /** The data points of one label combination. */
    private record Points(CounterDataPoint requests, CounterDataPoint bytesIn, CounterDataPoint bytesOut,
            DistributionDataPoint duration, DistributionDataPoint firstByte, DistributionDataPoint backend) {
    }

    GatewayMetrics(PrometheusRegistry registry, boolean bucketLabel, int maxBuckets) {
        this.bucketLabel = bucketLabel;
        this.maxBuckets = Math.max(0, maxBuckets);
        String[] labels = bucketLabel ? new String[] {"operation", "status", "bucket"}
                : new String[] {"operation", "status"};
        String[] timingLabels = bucketLabel ? new String[] {"operation", "bucket"} : new String[] {"operation"};
        double[] bounds = {.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60};
        requests = Counter.builder().name("multistore_requests").help("Completed requests by S3 operation and HTTP "
                + "status").labelNames(labels).withoutExemplars().register(registry);
        bytesIn = Counter.builder().name("multistore_request_body_bytes").help("Request body bytes read")
                .unit(io.prometheus.metrics.model.snapshots.Unit.BYTES).labelNames(timingLabels).withoutExemplars()
                .register(registry);
        bytesOut = Counter.builder().name("multistore_response_body_bytes").help("Response body bytes written")
                .unit(io.prometheus.metrics.model.snapshots.Unit.BYTES).labelNames(timingLabels).withoutExemplars()
                .register(registry);
        errors = Counter.builder().name("multistore_request_errors").help("Requests answered with an S3 error, by "
                + "error code").labelNames("code").withoutExemplars().register(registry);
        authFailures = Counter.builder().name("multistore_auth_failures").help("Requests refused by "
                + "authentication or authorization, by S3 error code").labelNames("code").withoutExemplars()
                .register(registry);
        // its own counter rather than a backend_type label on multistore_request_errors_total: most error codes
        // (AccessDenied, NoSuchBucket, a bad signature) are answered before any backend is involved, and adding a
        // label to an existing series would break the dashboards and alerts written against it
        backendErrors = Counter.builder().name("multistore_backend_errors").help("Requests to a bucket that ended "
                + "in a server-side error (5xx), by the bucket's backend_type and the S3 error code")
                .labelNames("backend_type", "code").withoutExemplars().register(registry);
        duration = Histogram.builder().name("multistore_request_duration_seconds").help("Time from receipt until "
                + "the response was complete").labelNames(timingLabels).classicOnly().classicUpperBounds(bounds)
                .withoutExemplars().register(registry);
        firstByte = Histogram.builder().name("multistore_request_first_byte_seconds").help("Time from receipt "
                + "until the response began").labelNames(timingLabels).classicOnly().classicUpperBounds(bounds)
                .withoutExemplars().register(registry);
        backend = Histogram.builder().name("multistore_backend_duration_seconds").help("Time spent in backend "
                + "store calls, for requests that reached a backend").labelNames(timingLabels).classicOnly()
                .classicUpperBounds(bounds).withoutExemplars().register(registry);
    }

    void record(CompletedRequest r) {
        Labels labels = new Labels(r.operation() == null ? "-" : r.operation(), r.status(),
                bucketLabel ? bucket(r.bucket()) : null);
        Points p = points.get(labels);
        if (p == null) {
            p = points.computeIfAbsent(labels, this::points);
        }
        p.requests.inc();
        if (r.bytesIn() > 0) {
            p.bytesIn.inc(r.bytesIn());
        }
        if (r.bytesOut() > 0) {
            p.bytesOut.inc(r.bytesOut());
        }
        p.duration.observe(r.totalNanos() / 1e9);
        p.firstByte.observe(r.firstByteNanos() / 1e9);
        if (r.backendNanos() > 0) {
            p.backend.observe(r.backendNanos() / 1e9);
        }
        String code = r.errorCode();
        if (code != null) {
            errors.labelValues(code).inc();
            if (AUTH_CODES.contains(code)) {
                authFailures.labelValues(code).inc();
            }
            if (r.status() >= 500 && r.backendType() != null) {
                backendErrors.labelValues(r.backendType(), code).inc();
            }
        }
    }

    private Points points(Labels labels) {
        String operation = labels.operation();
        String status = Integer.toString(labels.status());
        String bucket = labels.bucket();
        String[] all = bucket == null ? new String[] {operation, status} : new String[] {operation, status, bucket};
        String[] timing = bucket == null ? new String[] {operation} : new String[] {operation, bucket};
        return new Points(requests.labelValues(all), bytesIn.labelValues(timing), bytesOut.labelValues(timing),
                duration.labelValues(timing), firstByte.labelValues(timing), backend.labelValues(timing));
    }

    private String bucket(String name) {
        if (name == null) {
            return "-";
        }
        if (buckets.contains(name)) {
            return name;
        }
        synchronized (buckets) {
            if (buckets.size() < maxBuckets) {
                buckets.add(name);
                return name;
            }
        }
        return OTHER;
    }
}
