/**
 * The config provider SPI: where buckets, roles and credentials come from.
 */
@Export
@Version("1.3.0")
package io.multistore.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
