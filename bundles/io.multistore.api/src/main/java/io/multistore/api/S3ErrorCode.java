package io.multistore.api;

/**
 * The S3 error codes this gateway answers with, each with its HTTP status. Names are the wire codes.
 */
public enum S3ErrorCode {
    AccessControlListNotSupported(400, "The bucket does not allow ACLs"),
    AccessDenied(403, "Access Denied"),
    /** A CORS preflight that no rule of the bucket allows. */
    AccessForbidden(403, "CORSResponse: This CORS request is not allowed."),
    AuthorizationHeaderMalformed(400, "The authorization header is malformed."),
    AuthorizationQueryParametersError(400, "Query-string authentication parameters are malformed."),
    /** A CORS preflight without the Origin or Access-Control-Request-Method it needs. */
    BadRequest(400, "Bad Request"),
    BadDigest(400, "The Content-MD5 or checksum you specified did not match what we received."),
    BucketAlreadyExists(409, "The requested bucket name is not available."),
    BucketNotEmpty(409, "The bucket you tried to delete is not empty."),
    EntityTooLarge(400, "Your proposed upload exceeds the maximum allowed size."),
    EntityTooSmall(400, "Your proposed upload is smaller than the minimum allowed object size."),
    ExpiredToken(403, "The provided token has expired."),
    IncompleteBody(400, "You did not provide the number of bytes specified by the Content-Length HTTP header."),
    InternalError(500, "We encountered an internal error. Please try again."),
    InvalidAccessKeyId(403, "The AWS access key ID you provided does not exist in our records."),
    InvalidArgument(400, "Invalid argument."),
    InvalidBucketName(400, "The specified bucket is not valid."),
    InvalidDigest(400, "The Content-MD5 you specified is not valid."),
    InvalidPolicyDocument(400, "The content of the form does not meet the conditions specified in the policy "
            + "document."),
    InvalidPart(400, "One or more of the specified parts could not be found."),
    InvalidPartNumber(416, "The requested partnumber is not satisfiable"),
    InvalidPartOrder(400, "The list of parts was not in ascending order."),
    InvalidRange(416, "The requested range is not satisfiable."),
    InvalidRequest(400, "Invalid request."),
    InvalidTag(400, "The tag provided was not a valid tag."),
    InvalidToken(400, "The provided token is malformed or otherwise invalid."),
    InvalidURI(400, "Couldn't parse the specified URI."),
    KeyTooLongError(400, "Your key is too long."),
    MalformedXML(400, "The XML you provided was not well-formed or did not validate against our published schema."),
    MalformedPOSTRequest(400, "The body of your POST request is not well-formed multipart/form-data."),
    MaxPostPreDataLengthExceededError(400, "Your POST request fields preceding the upload file were too large."),
    MethodNotAllowed(405, "The specified method is not allowed against this resource."),
    MissingContentLength(411, "You must provide the Content-Length HTTP header."),
    MissingSecurityHeader(400, "Your request is missing a required header."),
    NoSuchBucket(404, "The specified bucket does not exist."),
    NoSuchCORSConfiguration(404, "The CORS configuration does not exist"),
    NoSuchKey(404, "The specified key does not exist."),
    NoSuchUpload(404, "The specified multipart upload does not exist."),
    NotImplemented(501, "A header or query you provided implies functionality that is not implemented."),
    NotModified(304, "Not Modified"),
    PreconditionFailed(412, "At least one of the preconditions you specified did not hold."),
    RequestHeaderSectionTooLarge(400, "Your request header section exceeds the maximum allowed size."),
    RequestTimeTooSkewed(403, "The difference between the request time and the server's time is too large."),
    ServiceUnavailable(503, "Service is unable to handle request."),
    SignatureDoesNotMatch(403, "The request signature we calculated does not match the signature you provided."),
    XAmzContentSHA256Mismatch(400, "The provided 'x-amz-content-sha256' header does not match what was computed.");

    private final int status;
    private final String defaultMessage;

    S3ErrorCode(int status, String defaultMessage) {
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    /** The HTTP status S3 answers this code with. */
    public int status() {
        return status;
    }

    /** The message S3 uses when nothing more specific is known. */
    public String defaultMessage() {
        return defaultMessage;
    }
}
