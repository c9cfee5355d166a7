/**
 * The backends' data plane: object bodies (GET, HEAD, PUT, UploadPart) as one streaming HTTP exchange each, sent by
 * one shared, pooled {@link io.multistore.lib.dataplane.HttpTransport} with a retry policy for idempotent requests,
 * and helpers that map a store's error answers and headers onto the gateway's S3 model. Each backend keeps its vendor
 * SDK as the control plane (credentials, endpoints, listing, multipart control, copy) and signs its data-plane
 * requests itself; see {@code docs/architecture.md}.
 */
@Export
@Version("1.2.0")
package io.multistore.lib.dataplane;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
