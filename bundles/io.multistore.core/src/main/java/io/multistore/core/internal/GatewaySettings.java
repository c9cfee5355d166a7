package io.multistore.core.internal;

import io.multistore.api.CorsRule;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The gateway's own settings.
 *
 * @param domain        virtual-host domain (lower case, no leading dot), empty for path style only
 * @param maxObjectSize largest single PUT or part, in bytes
 * @param maxXmlSize    largest XML request body, in bytes
 * @param pluginGrace   how long requests wait for a backend or config provider that just left to be replaced
 *                      (a bundle update) before they fail; zero fails at once
 * @param cors          the CORS rules of buckets that set none of their own; empty for none
 * @param sigv2Enabled  whether requests signed with AWS Signature Version 2 are accepted
 */
record GatewaySettings(String domain, long maxObjectSize, long maxXmlSize, Duration pluginGrace,
        List<CorsRule> cors, boolean sigv2Enabled) {

    static final long DEFAULT_MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;
    static final long DEFAULT_MAX_XML_SIZE = 1024 * 1024;
    static final long DEFAULT_PLUGIN_GRACE_MS = 10_000;

    /** Settings without default CORS rules, V2 signatures accepted. */
    GatewaySettings(String domain, long maxObjectSize, long maxXmlSize, Duration pluginGrace) {
        this(domain, maxObjectSize, maxXmlSize, pluginGrace, List.of(), true);
    }

    /** Settings with these default CORS rules, V2 signatures accepted. */
    GatewaySettings(String domain, long maxObjectSize, long maxXmlSize, Duration pluginGrace, List<CorsRule> cors) {
        this(domain, maxObjectSize, maxXmlSize, pluginGrace, cors, true);
    }

    /** Settings without default CORS rules. */
    GatewaySettings(String domain, long maxObjectSize, long maxXmlSize, Duration pluginGrace, boolean sigv2Enabled) {
        this(domain, maxObjectSize, maxXmlSize, pluginGrace, List.of(), sigv2Enabled);
    }

    /** Settings without a grace time. */
    GatewaySettings(String domain, long maxObjectSize, long maxXmlSize) {
        this(domain, maxObjectSize, maxXmlSize, Duration.ZERO);
    }

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
        if (pluginGrace == null || pluginGrace.isNegative()) {
            throw new IllegalArgumentException("plugin_grace_ms must not be negative: " + pluginGrace);
        }
        cors = cors == null ? List.of() : List.copyOf(cors);
    }

    long pluginGraceNanos() {
        return pluginGrace.toNanos();
    }

    static GatewaySettings defaults() {
        return new GatewaySettings("", DEFAULT_MAX_OBJECT_SIZE, DEFAULT_MAX_XML_SIZE);
    }
}
