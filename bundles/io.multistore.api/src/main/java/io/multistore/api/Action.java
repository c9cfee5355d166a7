package io.multistore.api;

import java.util.Locale;
import java.util.Optional;

/**
 * Operations a scope can allow. {@link #wireName()} is the name used in config files and provider records.
 */
public enum Action {
    GET_OBJECT,
    GET_OBJECT_VERSION,
    HEAD_OBJECT,
    PUT_OBJECT,
    DELETE_OBJECT,
    LIST_BUCKET,
    CREATE_MULTIPART_UPLOAD,
    UPLOAD_PART,
    COMPLETE_MULTIPART_UPLOAD,
    ABORT_MULTIPART_UPLOAD,
    LIST_MULTIPART_UPLOADS,
    LIST_PARTS,
    CREATE_BUCKET,
    DELETE_BUCKET;

    /** The snake_case name used in {@code config.toml} ({@code get_object}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config name such as {@code put_object}; case-insensitive. */
    public static Optional<Action> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
