/**
 * Credential SPIs: temporary (session-token) credentials for callers.
 */
@Export
@Version("1.0.0")
package io.multistore.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
