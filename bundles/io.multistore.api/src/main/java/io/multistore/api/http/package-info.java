/**
 * The seam between the HTTP front end and the gateway: an exchange abstraction free of servlet and Jetty types,
 * the gateway that serves it, and route handlers mounted beside the S3 API (STS, OIDC discovery, health).
 */
@Export
@Version("1.1.0")
package io.multistore.api.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
