package io.multistore.metrics.internal;

import io.multistore.api.observe.CompletedRequest;
import io.multistore.api.observe.RequestListener;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Prometheus metrics at {@code /metrics} on the admin port: the gateway's requests (this component listens to
 * every request as it begins and completes), the config cache's counters while a cache is in use, and the JVM's
 * memory, GC, threads, class loading and process metrics. Runs without a configuration; its own registry, so a bundle
 * update starts from zero as Prometheus counters may.
 */
@Component(service = {RequestListener.class, Servlet.class}, configurationPid = MetricsServlet.PID, property = {
        "osgi.http.whiteboard.servlet.pattern=/metrics",
        "osgi.http.whiteboard.servlet.name=multistore-metrics",
        "osgi.http.whiteboard.target=(org.apache.felix.http.name=admin)"})
@Designate(ocd = MetricsServlet.Config.class)
public final class MetricsServlet extends HttpServlet implements RequestListener {

    private static final long serialVersionUID = 1L;
    public static final String PID = "io.multistore.metrics";

    @ObjectClassDefinition(name = "Multistore metrics", description = "Prometheus metrics at /metrics on the "
            + "admin port.")
    public @interface Config {
        @AttributeDefinition(name = "Bucket label", description = "Label request metrics with the virtual bucket "
                + "too (more series: one set per bucket).")
        boolean bucket__label() default false;

        @AttributeDefinition(name = "Maximum buckets", description = "With the bucket label, how many distinct "
                + "buckets get their own series; the rest count as '_other'.")
        int max__buckets() default 100;

        @AttributeDefinition(name = "JVM metrics", description = "Also export the JVM's memory, GC, thread, class "
                + "loading and process metrics.")
        boolean jvm() default true;

        @AttributeDefinition(name = "Whiteboard target", description = "Which Jetty server serves /metrics.")
        String osgi_http_whiteboard_target() default "(org.apache.felix.http.name=admin)";
    }

    private final transient PrometheusRegistry registry = new PrometheusRegistry();
    private final transient GatewayMetrics metrics;
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    /** Requests begun minus requests completed; a LongAdder so that concurrent requests never contend on it. */
    private final transient LongAdder inFlight = new LongAdder();

    @Activate
    public MetricsServlet(Config config) {
        this.metrics = new GatewayMetrics(registry, config.bucket__label(), config.max__buckets());
        if (config.jvm()) {
            JvmMetrics.builder().register(registry);
        }
        Gauge up = Gauge.builder().name("multistore_metrics_up").help("1 while the metrics bundle runs")
                .register(registry);
        up.set(1);
        GaugeWithCallback.builder().name("multistore_requests_in_flight").help("Requests begun and not yet "
                + "complete (streams included)").callback(cb -> cb.call(inFlight.sum())).register(registry);
    }

    /** More metrics from this bundle's own components (the config cache's, while a cache is in use). */
    @Reference(name = "collector", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeCollector")
    void addCollector(MultiCollector collector) {
        registry.register(collector);
    }

    void removeCollector(MultiCollector collector) {
        registry.unregister(collector);
    }

    @Override
    public void started(String requestId, String method) {
        inFlight.increment();
    }

    @Override
    public void completed(CompletedRequest request) {
        inFlight.decrement();
        metrics.record(request);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(200);
        resp.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        try (OutputStream out = resp.getOutputStream()) {
            writer.write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
        }
    }

    /** The exposition text, for tests. */
    String scrape() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        writer.write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
