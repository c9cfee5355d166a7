package io.multistore.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns log-level directives into slf4j-simple system properties.
 *
 * <p>Two spellings share one grammar, a comma-separated list of {@code target=level} or bare {@code level}
 * directives: {@code RUST_LOG} for drop-in compatibility with the Rust server ({@code multistore=info},
 * {@code multistore=debug,warn}; Rust targets are mapped: {@code multistore} and {@code multistore_*} crates become
 * the logger {@code io.multistore}, {@code ::} becomes {@code .}), and {@code MULTISTORE_LOG_LEVEL} with Java logger
 * names ({@code io.multistore=debug,org.eclipse.jetty=info}). A bare level sets the default of every logger not
 * named. Invalid directives are reported and skipped, as the Rust filter does.
 */
public final class LogLevels {

    /** Prefix of slf4j-simple's per-logger level properties. */
    public static final String LOGGER_PREFIX = "org.slf4j.simpleLogger.log.";
    public static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    /** The Rust server's default filter. */
    public static final String RUST_DEFAULT = "multistore=info";

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private LogLevels() {
    }

    /**
     * @param rustLog the value of {@code RUST_LOG}, or null for the Rust default {@code multistore=info}
     * @param javaLog the value of {@code MULTISTORE_LOG_LEVEL}, or null
     */
    public static LogLevels fromEnvironment(String rustLog, String javaLog) {
        LogLevels levels = new LogLevels();
        levels.apply("RUST_LOG", rustLog == null || rustLog.isBlank() ? RUST_DEFAULT : rustLog, true);
        if (javaLog != null && !javaLog.isBlank()) {
            levels.apply("MULTISTORE_LOG_LEVEL", javaLog, false);
        }
        return levels;
    }

    /** slf4j-simple system properties, in directive order (later directives win). */
    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    /** One line per skipped directive, naming the variable. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private void apply(String variable, String spec, boolean rustNames) {
        for (String raw : spec.split(",")) {
            String directive = raw.trim();
            if (directive.isEmpty()) {
                continue;
            }
            int eq = directive.indexOf('=');
            String target = eq < 0 ? null : directive.substring(0, eq).trim();
            String level = (eq < 0 ? directive : directive.substring(eq + 1)).trim().toLowerCase(Locale.ROOT);
            if (eq < 0 && !LEVELS.contains(level)) {
                // RUST_LOG=multistore means "everything for that target", the most verbose level.
                target = directive;
                level = "trace";
            }
            if (!LEVELS.contains(level) || (target != null && target.isEmpty())) {
                warnings.add(variable + ": ignoring invalid directive '" + directive + "'");
                continue;
            }
            if (target == null) {
                properties.put(DEFAULT_LEVEL, level);
            } else {
                properties.put(LOGGER_PREFIX + (rustNames ? javaLogger(target) : target), level);
            }
        }
    }

    /** Maps a Rust tracing target onto a Java logger name. */
    static String javaLogger(String rustTarget) {
        String[] path = rustTarget.split("::", -1);
        String crate = path[0];
        if (crate.equals("multistore") || crate.startsWith("multistore_") || crate.startsWith("multistore-")) {
            path[0] = "io.multistore";
        }
        return String.join(".", path);
    }
}
