package io.multistore.backend.fs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Settings of the filesystem backend as a whole; each bucket's directory is its {@code root} backend option.
 * Attribute names use double underscores so the properties read {@code stale_upload_age_hours}, in the snake case
 * of {@code config.toml}.
 */
@ObjectClassDefinition(name = "Multistore Filesystem Backend",
        description = "Serves buckets with backend_type = \"fs\" from local directories (backend option 'root').")
public @interface FsBackendConfig {

    @AttributeDefinition(name = "Stale upload age (hours)",
            description = "Multipart uploads and staging files untouched for this many hours are deleted: "
                    + "leftovers of crashes and abandoned clients.",
            min = "1")
    int stale__upload__age__hours() default 24;

    @AttributeDefinition(name = "Sweep interval (minutes)",
            description = "How often the bucket directories are swept for stale uploads and staging files (also "
                    + "once when a directory is first opened), on a thread of the backend's own.",
            min = "1")
    int stale__upload__sweep__minutes() default 60;
}
