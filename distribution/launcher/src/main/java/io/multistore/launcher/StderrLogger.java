package io.multistore.launcher;

import org.apache.felix.framework.Logger;
import org.osgi.framework.ServiceReference;

/** The framework's own messages (resolution errors, bundle start failures) go to stderr beside the SLF4J log. */
final class StderrLogger extends Logger {

    private static final String[] LEVELS = {"", "ERROR", "WARN", "INFO", "DEBUG"};

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        String label = level > 0 && level < LEVELS.length ? LEVELS[level] : "LOG";
        System.err.println(label + " [felix] " + msg);
        if (throwable != null) {
            throwable.printStackTrace(System.err);
        }
    }

    @Override
    protected void doLog(org.osgi.framework.Bundle bundle, ServiceReference sr, int level, String msg,
            Throwable throwable) {
        doLog(level, bundle == null ? msg : bundle.getSymbolicName() + ": " + msg, throwable);
    }
}
