package io.multistore.launcher;

/**
 * A socket address given on the command line: {@code 0.0.0.0:8080}, {@code [::1]:8080}, {@code localhost:8080} or
 * {@code :8080} (all interfaces).
 *
 * @param host host name or literal address, IPv6 without brackets
 * @param port TCP port, 1..65535
 */
public record ListenAddress(String host, int port) {

    static final String ALL_INTERFACES = "0.0.0.0";

    public ListenAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535");
        }
    }

    /** Parses {@code ADDR:PORT}; the message of the exception is meant for the operator. */
    public static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected ADDR:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty IPv6 address in '" + text + "'");
            }
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 address needs brackets, e.g. [::1]:8080, got '" + text + "'");
        }
        if (host.isEmpty()) {
            host = ALL_INTERFACES;
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in '" + text + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got '" + text + "'");
        }
        return new ListenAddress(host, port);
    }

    /** The address as a URL authority: IPv6 literals in brackets. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return authority();
    }
}
