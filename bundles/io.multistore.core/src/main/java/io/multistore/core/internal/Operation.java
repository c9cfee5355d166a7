package io.multistore.core.internal;

import io.multistore.api.Action;

/** The S3 operations the gateway serves, with the action each is authorized as. */
enum Operation {
    LIST_BUCKETS(null),
    HEAD_BUCKET(Action.LIST_BUCKET),
    CREATE_BUCKET(Action.CREATE_BUCKET),
    DELETE_BUCKET(Action.DELETE_BUCKET),
    LIST_OBJECTS_V1(Action.LIST_BUCKET),
    LIST_OBJECTS_V2(Action.LIST_BUCKET),
    GET_BUCKET_LOCATION(Action.LIST_BUCKET),
    LIST_MULTIPART_UPLOADS(Action.LIST_MULTIPART_UPLOADS),
    DELETE_OBJECTS(Action.DELETE_OBJECT),
    GET_OBJECT(Action.GET_OBJECT),
    HEAD_OBJECT(Action.HEAD_OBJECT),
    PUT_OBJECT(Action.PUT_OBJECT),
    COPY_OBJECT(Action.PUT_OBJECT),
    DELETE_OBJECT(Action.DELETE_OBJECT),
    CREATE_MULTIPART_UPLOAD(Action.CREATE_MULTIPART_UPLOAD),
    UPLOAD_PART(Action.UPLOAD_PART),
    COMPLETE_MULTIPART_UPLOAD(Action.COMPLETE_MULTIPART_UPLOAD),
    ABORT_MULTIPART_UPLOAD(Action.ABORT_MULTIPART_UPLOAD),
    LIST_PARTS(Action.LIST_PARTS);

    private final Action action;

    Operation(Action action) {
        this.action = action;
    }

    /** The action checked against the caller's scopes ({@code null} for ListBuckets, which filters instead). */
    Action action() {
        return action;
    }
}
