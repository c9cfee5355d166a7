package io.multistore.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.observe.CompletedRequest;
import io.multistore.config.cache.ConfigCacheStatistics;
import java.lang.annotation.Annotation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricsServletTest {

    static MetricsServlet.Config config(boolean bucketLabel, int maxBuckets) {
        return new MetricsServlet.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MetricsServlet.Config.class;
            }

            @Override
            public boolean bucket__label() {
                return bucketLabel;
            }

            @Override
            public int max__buckets() {
                return maxBuckets;
            }

            @Override
            public boolean jvm() {
                return true;
            }

            @Override
            public String osgi_http_whiteboard_target() {
                return "";
            }
        };
    }

    static CompletedRequest request(String bucket, int status, String code) {
        return new CompletedRequest("R1", Instant.now(), "GET", "GetObject", bucket, "secret/key", "alice",
                "10.0.0.1", "ua", status, code, 0, 4096, 1_000_000, 3_000_000, 2_000_000);
    }

    @Test
    void requestsBytesLatenciesAndAuthFailuresAreCounted() throws Exception {
        MetricsServlet servlet = new MetricsServlet(config(false, 100));
        servlet.completed(request("data", 200, null));
        servlet.completed(request("data", 200, null));
        servlet.completed(request("data", 403, "SignatureDoesNotMatch"));
        String text = servlet.scrape();
        assertTrue(text.contains("multistore_requests_total{operation=\"GetObject\",status=\"200\"} 2.0"), text);
        assertTrue(text.contains("multistore_requests_total{operation=\"GetObject\",status=\"403\"} 1.0"), text);
        assertTrue(text.contains("multistore_response_body_bytes_total{operation=\"GetObject\"} 12288.0"), text);
        assertTrue(text.contains("multistore_auth_failures_total{code=\"SignatureDoesNotMatch\"} 1.0"), text);
        assertTrue(text.contains("multistore_request_duration_seconds_bucket{operation=\"GetObject\",le=\"0.005\"} 3"),
                text);
        assertTrue(text.contains("multistore_backend_duration_seconds_count{operation=\"GetObject\"} 3"), text);
        assertTrue(text.contains("jvm_memory_used_bytes"), text);
        // no key, principal or address becomes a label
        assertFalse(text.contains("secret/key") || text.contains("alice") || text.contains("10.0.0.1"), text);
        assertFalse(text.contains("bucket="), text);
    }

    @Test
    void backendErrorsAreCountedByBackendTypeAndCode() throws Exception {
        MetricsServlet servlet = new MetricsServlet(config(false, 100));
        Instant now = Instant.now();
        servlet.completed(new CompletedRequest("R1", now, "GET", "GetObject", "remote", "k", "alice", "10.0.0.1",
                "ua", 503, "ServiceUnavailable", 0, 0, 1, 1, 1, "s3"));
        servlet.completed(new CompletedRequest("R2", now, "GET", "GetObject", "remote", "k", "alice", "10.0.0.1",
                "ua", 503, "ServiceUnavailable", 0, 0, 1, 1, 1, "s3"));
        servlet.completed(new CompletedRequest("R3", now, "PUT", "PutObject", "local", "k", "alice", "10.0.0.1",
                "ua", 500, "InternalError", 0, 0, 1, 1, 1, "fs"));
        // a client's mistake on a bucket is no backend error; nor is a failure before any bucket was found
        servlet.completed(new CompletedRequest("R4", now, "GET", "GetObject", "local", "k", "alice", "10.0.0.1",
                "ua", 404, "NoSuchKey", 0, 0, 1, 1, 1, "fs"));
        servlet.completed(request("data", 500, "InternalError"));
        String text = servlet.scrape();
        assertTrue(text.contains("multistore_backend_errors_total{backend_type=\"s3\",code=\"ServiceUnavailable\"} "
                + "2.0"), text);
        assertTrue(text.contains("multistore_backend_errors_total{backend_type=\"fs\",code=\"InternalError\"} 1.0"),
                text);
        assertFalse(text.matches("(?s).*multistore_backend_errors_total\\{[^}]*NoSuchKey.*"), text);
        assertTrue(text.contains("multistore_request_errors_total{code=\"InternalError\"} 2.0"), text);
    }

    @Test
    void bucketLabelIsBounded() throws Exception {
        MetricsServlet servlet = new MetricsServlet(config(true, 2));
        for (String b : new String[] {"a", "b", "c", "d"}) {
            servlet.completed(request(b, 200, null));
        }
        String text = servlet.scrape();
        assertTrue(text.contains("bucket=\"a\""), text);
        assertTrue(text.contains("bucket=\"b\""), text);
        assertFalse(text.contains("bucket=\"c\""), text);
        assertTrue(text.contains("multistore_requests_total{bucket=\"_other\",operation=\"GetObject\",status=\"200\"} 2.0"),
                text);
    }

    @Test
    void inFlightCountsRequestsBegunAndNotComplete() throws Exception {
        MetricsServlet servlet = new MetricsServlet(config(false, 100));
        assertTrue(servlet.scrape().contains("multistore_requests_in_flight 0.0"));
        servlet.started("R1", "GET");
        servlet.started("R2", "PUT");
        assertTrue(servlet.scrape().contains("multistore_requests_in_flight 2.0"), servlet.scrape());
        servlet.completed(request("data", 200, null));
        assertTrue(servlet.scrape().contains("multistore_requests_in_flight 1.0"), servlet.scrape());
        servlet.completed(request("data", 200, null));
        assertTrue(servlet.scrape().contains("multistore_requests_in_flight 0.0"), servlet.scrape());
    }

    @Test
    void configCacheCountersAppearOnlyWhileACacheIsBound() throws Exception {
        MetricsServlet servlet = new MetricsServlet(config(false, 100));
        assertFalse(servlet.scrape().contains("multistore_config_cache_hits_total "), servlet.scrape());
        ConfigCacheStatistics cache = new ConfigCacheStatistics() {
            @Override
            public long hits() {
                return 7;
            }

            @Override
            public long misses() {
                return 3;
            }

            @Override
            public long upstreamCalls() {
                return 2;
            }

            @Override
            public long errors() {
                return 1;
            }

            @Override
            public long staleServed() {
                return 4;
            }

            @Override
            public int size() {
                return 5;
            }
        };
        ConfigCacheMetrics collector = new ConfigCacheMetrics();
        collector.addCache(cache);
        servlet.addCollector(collector);
        String text = servlet.scrape();
        for (String line : new String[] {"multistore_config_cache_hits_total 7.0",
                "multistore_config_cache_misses_total 3.0", "multistore_config_cache_upstream_calls_total 2.0",
                "multistore_config_cache_upstream_errors_total 1.0", "multistore_config_cache_stale_served_total 4.0",
                "multistore_config_cache_entries 5.0"}) {
            assertTrue(text.contains(line + "\n"), line + " in\n" + text);
        }
        servlet.removeCollector(collector);
        assertFalse(servlet.scrape().contains("multistore_config_cache_hits_total "), servlet.scrape());
    }
}
