package io.multistore.core.internal;

import io.multistore.api.Action;

/** The S3 operations the gateway serves, with the action each is authorized as. */
enum Operation {
    LIST_BUCKETS("ListBuckets", null),
    HEAD_BUCKET("HeadBucket", Action.LIST_BUCKET),
    CREATE_BUCKET("CreateBucket", Action.CREATE_BUCKET),
    DELETE_BUCKET("DeleteBucket", Action.DELETE_BUCKET),
    LIST_OBJECTS_V1("ListObjects", Action.LIST_BUCKET),
    LIST_OBJECTS_V2("ListObjectsV2", Action.LIST_BUCKET),
    GET_BUCKET_LOCATION("GetBucketLocation", Action.LIST_BUCKET),
    LIST_MULTIPART_UPLOADS("ListMultipartUploads", Action.LIST_MULTIPART_UPLOADS),
    DELETE_OBJECTS("DeleteObjects", Action.DELETE_OBJECT),
    GET_OBJECT("GetObject", Action.GET_OBJECT),
    HEAD_OBJECT("HeadObject", Action.HEAD_OBJECT),
    PUT_OBJECT("PutObject", Action.PUT_OBJECT),
    COPY_OBJECT("CopyObject", Action.PUT_OBJECT),
    DELETE_OBJECT("DeleteObject", Action.DELETE_OBJECT),
    CREATE_MULTIPART_UPLOAD("CreateMultipartUpload", Action.CREATE_MULTIPART_UPLOAD),
    UPLOAD_PART("UploadPart", Action.UPLOAD_PART),
    UPLOAD_PART_COPY("UploadPartCopy", Action.UPLOAD_PART),
    COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload", Action.COMPLETE_MULTIPART_UPLOAD),
    ABORT_MULTIPART_UPLOAD("AbortMultipartUpload", Action.ABORT_MULTIPART_UPLOAD),
    LIST_PARTS("ListParts", Action.LIST_PARTS),
    /** A browser form upload; authorized as PutObject of the form's key once the form is read. */
    POST_OBJECT("PostObject", Action.PUT_OBJECT),
    /** The CORS rules in force; bucket configuration is no secret from those who may list the bucket. */
    GET_BUCKET_CORS("GetBucketCors", Action.LIST_BUCKET),
    // ACLs as S3 answers them with ACLs disabled (see Acls): reading one is a read, writing one a write
    GET_BUCKET_ACL("GetBucketAcl", Action.LIST_BUCKET),
    PUT_BUCKET_ACL("PutBucketAcl", Action.PUT_OBJECT),
    GET_OBJECT_ACL("GetObjectAcl", Action.GET_OBJECT),
    PUT_OBJECT_ACL("PutObjectAcl", Action.PUT_OBJECT),
    LIST_OBJECT_VERSIONS("ListObjectVersions", Action.LIST_BUCKET),
    GET_BUCKET_VERSIONING("GetBucketVersioning", Action.LIST_BUCKET),
    // versioning changes what the bucket keeps: the bucket-administration action governs it
    PUT_BUCKET_VERSIONING("PutBucketVersioning", Action.CREATE_BUCKET),
    GET_OBJECT_TAGGING("GetObjectTagging", Action.GET_OBJECT),
    PUT_OBJECT_TAGGING("PutObjectTagging", Action.PUT_OBJECT),
    DELETE_OBJECT_TAGGING("DeleteObjectTagging", Action.PUT_OBJECT),
    GET_OBJECT_ATTRIBUTES("GetObjectAttributes", Action.GET_OBJECT);

    private final String s3Name;
    private final Action action;

    Operation(String s3Name, Action action) {
        this.s3Name = s3Name;
        this.action = action;
    }

    /** The operation's name in S3's API reference ({@code GetObject}), for logs and metrics. */
    String s3Name() {
        return s3Name;
    }

    /** The action checked against the caller's scopes ({@code null} for ListBuckets, which filters instead). */
    Action action() {
        return action;
    }
}
