package io.multistore.health.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

/** Whether the server is shutting down: the launcher registers a marker service when SIGTERM arrives. */
final class Shutdown {

    /** Service property of the launcher's marker, registered under {@code java.lang.Object}. */
    static final String DRAINING = "multistore.draining";

    private Shutdown() {
    }

    static boolean inProgress(BundleContext context) {
        try {
            Bundle system = context.getBundle(0);
            return (system != null && system.getState() == Bundle.STOPPING)
                    || context.getServiceReferences(Object.class.getName(), "(" + DRAINING + "=true)") != null;
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return true; // the context is no longer valid: this bundle is stopping
        }
    }
}
