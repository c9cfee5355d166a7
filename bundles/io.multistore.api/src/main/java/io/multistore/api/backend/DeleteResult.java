package io.multistore.api.backend;

/**
 * What a delete did on a store with versions.
 *
 * @param versionId    the version removed, or the delete marker made; {@code null} on a store without versions
 * @param deleteMarker whether the delete made (or removed) a delete marker
 */
public record DeleteResult(String versionId, boolean deleteMarker) {

    /** A delete on a store without versions. */
    public static final DeleteResult UNVERSIONED = new DeleteResult(null, false);
}
