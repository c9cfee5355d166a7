/**
 * Credential SPIs: temporary (session-token) credentials for callers, and the credentials backends sign with for
 * buckets with an {@code auth_type} ({@link io.multistore.api.auth.BackendCredentialSource}).
 */
@Export
@Version("1.1.0")
package io.multistore.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
