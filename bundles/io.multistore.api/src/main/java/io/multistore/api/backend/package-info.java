/**
 * The backend SPI: one {@link io.multistore.api.backend.Backend} per {@code backend_type}, opening an
 * {@link io.multistore.api.backend.ObjectStore} per bucket configuration. Keys given to a store are backend keys:
 * the gateway has already applied {@code backend_prefix} and strips it again from listings.
 */
@Export
@Version("1.3.0")
package io.multistore.api.backend;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
