package io.multistore.config.file.internal;

import java.util.List;

/**
 * The configuration files cannot be used: unreadable, not TOML, or not multistore's schema. The message lists every
 * problem as {@code file:line: what is wrong} and never contains a secret value.
 */
public final class ConfigFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    ConfigFileException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on its own, {@code file:line: what is wrong}. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.size() == 1) {
            return "Invalid multistore configuration: " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder("Invalid multistore configuration, ").append(problems.size())
                .append(" problems:");
        for (String p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
