package io.multistore.launcher;

/** A command line or environment the server cannot start with; the launcher prints the message and exits 2. */
public final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean showUsage;

    public UsageException(String message, boolean showUsage) {
        super(message);
        this.showUsage = showUsage;
    }

    public boolean showUsage() {
        return showUsage;
    }
}
