/**
 * Format-neutral rules for config records: {@link io.multistore.config.records.RecordReader} validates a bucket,
 * role or credential given as maps and lists (parsed from TOML or JSON) and names the field and where it is in
 * every message; {@link io.multistore.config.records.Json} reads and writes the JSON form the network providers
 * store.
 */
@Export
@Version("1.0.0")
package io.multistore.config.records;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
