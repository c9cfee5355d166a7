/**
 * Observing the gateway: every request is offered to the registered
 * {@link io.multistore.api.observe.RequestListener}s when it begins (since 1.1) and when it completes
 * (with the bucket's backend type since 1.2). The listeners
 * are metrics, the access log, metering, quotas.
 */
@Export
@Version("1.2.0")
package io.multistore.api.observe;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
