package io.multistore.launcher;

import java.io.PrintStream;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;

/**
 * Stopping on SIGTERM without dropping a request: readiness turns not-ready first (a marker service the readiness
 * check sees), then after {@code multistore.shutdown.delay.ms} — time for a load balancer to notice — the Jetty
 * bundle stops, which stops accepting connections and lets in-flight requests finish for up to
 * {@code org.apache.felix.jetty.stopTimeout} ms; then the framework stops.
 */
final class GracefulStop {

    /** Framework property: milliseconds between "not ready" and closing the listeners. */
    static final String DELAY = "multistore.shutdown.delay.ms";
    /** Felix HTTP's framework property: how long Jetty waits for in-flight requests when it stops. */
    static final String JETTY_STOP_TIMEOUT = "org.apache.felix.jetty.stopTimeout";
    /** Service property of the marker registered when shutdown begins. */
    static final String DRAINING = "multistore.draining";
    static final String JETTY_BUNDLE = "org.apache.felix.http.jetty12";

    private final long delayMillis;
    private final long drainMillis;
    private final PrintStream err;

    GracefulStop(long delayMillis, long drainMillis, PrintStream err) {
        this.delayMillis = Math.max(0, delayMillis);
        this.drainMillis = Math.max(0, drainMillis);
        this.err = err;
    }

    static GracefulStop from(Map<String, Object> properties, PrintStream err) {
        return new GracefulStop(millis(properties.get(DELAY), 0), millis(properties.get(JETTY_STOP_TIMEOUT), 30_000),
                err);
    }

    static long millis(Object value, long fallback) {
        if (value == null || value.toString().isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    void stop(Framework framework) {
        try {
            BundleContext context = framework.getBundleContext();
            if (context != null) {
                Hashtable<String, Object> marker = new Hashtable<>();
                marker.put(DRAINING, Boolean.TRUE);
                context.registerService(Object.class, new Object(), marker);
                err.println("INFO [launcher] shutting down: not ready; closing the listeners in " + delayMillis
                        + " ms, then waiting up to " + drainMillis + " ms for in-flight requests");
                err.flush();
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                for (Bundle bundle : context.getBundles()) {
                    if (JETTY_BUNDLE.equals(bundle.getSymbolicName()) && bundle.getState() == Bundle.ACTIVE) {
                        bundle.stop(Bundle.STOP_TRANSIENT);
                    }
                }
            }
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            err.println("WARN [launcher] clean shutdown failed: " + e);
        }
    }
}
