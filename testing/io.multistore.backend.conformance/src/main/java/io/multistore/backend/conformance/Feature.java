package io.multistore.backend.conformance;

/**
 * Parts of the {@link io.multistore.api.backend.ObjectStore} contract a backend may legitimately lack. A backend
 * opts out by returning a reason from {@link ObjectStoreConformance#unsupported(Feature)}; the tests that need the
 * feature are then skipped with that reason in the report.
 */
public enum Feature {
    /** {@code copy}. */
    COPY,
    /** Create, upload part, complete, abort, list parts. */
    MULTIPART,
    /** {@code listMultipartUploads}. */
    LIST_MULTIPART_UPLOADS,
    /** {@code listParts} honouring {@code maxParts} and the part number marker. */
    LIST_PARTS_PAGING,
    /** Completing with a non-last part below {@link ObjectStoreConformance#minimumPartSize()} fails with EntityTooSmall. */
    MINIMUM_PART_SIZE,
    /** {@code put} honouring {@code If-None-Match: *} and {@code If-Match}. */
    CONDITIONAL_PUT,
    /**
     * Listing order by UTF-8 bytes also for characters outside the Basic Multilingual Plane (where UTF-16 order, as
     * a naive {@code String.compareTo} gives, differs).
     */
    SUPPLEMENTARY_CHARACTER_ORDER,
    /** A key names an object and is a prefix of other keys at the same time ({@code a} beside {@code a/b}). */
    OBJECT_AND_PREFIX,
    /** {@code list} with a delimiter other than {@code /}. */
    OTHER_DELIMITERS,
    /** The Content-Type comes back exactly as stored, parameters and spacing included. */
    CONTENT_TYPE_VERBATIM,
    /** {@code uploadPart} and {@code listParts} answer NoSuchUpload for an unknown, aborted or completed upload. */
    UPLOAD_ID_VALIDATION,
    /** Completing with part numbers not in ascending order fails with InvalidPartOrder. */
    PART_ORDER_VALIDATION,
}
