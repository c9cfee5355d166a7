/**
 * What the config cache exposes besides the {@link io.multistore.api.config.ConfigProvider} it registers: its
 * counters, for whoever publishes metrics.
 */
@Export
@Version("1.0.0")
package io.multistore.config.cache;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
