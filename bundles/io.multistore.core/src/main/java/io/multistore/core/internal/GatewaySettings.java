package io.multistore.core.internal;

import java.util.Locale;

/**
 * The gateway's own settings.
 *
 * @param domain        virtual-host domain (lower case, no leading dot), empty for path style only
 * @param maxObjectSize largest single PUT or part, in bytes
 * @param maxXmlSize    largest XML request body, in bytes
 */
record GatewaySettings(String domain, long maxObjectSize, long maxXmlSize) {

    static final long DEFAULT_MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;
    static final long DEFAULT_MAX_XML_SIZE = 1024 * 1024;

    GatewaySettings {
        domain = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
        while (domain.startsWith(".")) {
            domain = domain.substring(1);
        }
        if (maxObjectSize <= 0) {
            throw new IllegalArgumentException("max_object_size must be positive: " + maxObjectSize);
        }
        if (maxXmlSize <= 0 || maxXmlSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("max_xml_size must be between 1 and 2 GiB: " + maxXmlSize);
        }
    }

    static GatewaySettings defaults() {
        return new GatewaySettings("", DEFAULT_MAX_OBJECT_SIZE, DEFAULT_MAX_XML_SIZE);
    }
}
