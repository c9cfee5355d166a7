/**
 * Observing the gateway: every completed request is offered to the registered
 * {@link io.multistore.api.observe.RequestListener}s (metrics, the access log, metering, quotas).
 */
@Export
@Version("1.0.0")
package io.multistore.api.observe;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
