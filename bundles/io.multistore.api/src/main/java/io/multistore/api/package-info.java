/**
 * The gateway's model: buckets, roles, credentials, scopes and actions, plus the one exception type that carries an
 * S3 error code. Every other bundle speaks in these types.
 */
@Export
@Version("1.3.0")
package io.multistore.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
