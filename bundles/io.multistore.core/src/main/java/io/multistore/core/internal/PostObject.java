package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ObjectAttributes;
import io.multistore.api.backend.ObjectMeta;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.http.HttpExchange;
import io.multistore.core.internal.S3Gateway.Call;
import io.multistore.core.internal.auth.Authentication;
import io.multistore.core.internal.auth.CredentialLookup;
import io.multistore.core.internal.auth.PayloadException;
import io.multistore.core.internal.auth.PayloadVerifier;
import io.multistore.core.internal.auth.PostPolicySignature;
import io.multistore.core.internal.auth.SigV4Verifier;
import io.multistore.core.internal.auth.SignedRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST Object: a browser's HTML form upload to {@code POST /bucket}. The form's fields come first and are read
 * into memory (at most {@link #MAX_PRE_DATA} bytes); its {@code file} part must come last and is streamed to the
 * store, its size checked against the policy's {@code content-length-range} (and the gateway's maximum object size)
 * as it streams, so an upload out of range fails before it is stored. Fields after the file are ignored, as in S3.
 * <p>
 * A form with {@code x-amz-signature} is authenticated by its SigV4 POST policy ({@link PostPolicySignature}); its
 * policy must not have expired and every field must meet a condition of it. A form without policy and signature is
 * anonymous. Either way the caller is then authorized as a PutObject of the form's key at the gateway's one
 * authorization point.
 */
final class PostObject {

    private static final Logger LOG = LoggerFactory.getLogger(PostObject.class);

    /** The most the fields before the file may take, headers included. */
    static final int MAX_PRE_DATA = 64 * 1024;

    /** Signature fields that are not form data the policy must cover, and V2 ones this gateway does not verify. */
    private static final List<String> V4_FIELDS = List.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-signature");

    private final Map<String, String> fields;
    private final MultipartReader.Part file;
    private final String key;
    /** The form's policy, or {@code null} for an anonymous form. */
    private final PostPolicy policy;

    private PostObject(Map<String, String> fields, MultipartReader.Part file, String key, PostPolicy policy) {
        this.fields = fields;
        this.file = file;
        this.key = key;
        this.policy = policy;
    }

    /** The key the object is stored under, {@code ${filename}} replaced. */
    String key() {
        return key;
    }

    /**
     * Reads the form up to its file, authenticates it (setting {@code call.auth}) and resolves the key. Nothing is
     * stored yet, and the caller is not yet authorized.
     *
     * @throws S3Exception PreconditionFailed (not a form), MalformedPOSTRequest, MaxPostPreDataLengthExceededError,
     *                     InvalidArgument, InvalidPolicyDocument, SignatureDoesNotMatch, AccessDenied (policy),
     *                     NotImplemented (form fields asking for what the gateway does not offer)
     */
    static PostObject read(Call call, SigV4Verifier verifier, CredentialLookup credentials) throws IOException {
        HttpExchange ex = call.exchange;
        if (!call.auth.isAnonymous()) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "POST Object is authenticated by the form's policy "
                    + "and signature fields, not by an Authorization header or a presigned URL.");
        }
        String boundary = MultipartReader.boundary(ex.header("Content-Type"));
        if (boundary == null) {
            throw new S3Exception(S3ErrorCode.PreconditionFailed,
                    "Bucket POST must be of the enclosure-type multipart/form-data");
        }
        TrackingStream raw = new TrackingStream(ex.requestBody());
        call.body = raw;
        MultipartReader reader = new MultipartReader(raw, boundary);
        Map<String, String> fields = new LinkedHashMap<>();
        MultipartReader.Part file = null;
        int budget = MAX_PRE_DATA;
        for (MultipartReader.Part part = reader.next(budget); part != null; part = reader.next(budget)) {
            String name = part.name().toLowerCase(Locale.ROOT);
            if (name.equals("file")) {
                file = part;
                break;
            }
            byte[] value = part.body().readNBytes(budget + 1);
            budget -= value.length + part.name().length();
            if (budget < 0) {
                throw new S3Exception(S3ErrorCode.MaxPostPreDataLengthExceededError);
            }
            if (fields.putIfAbsent(name, new String(value, StandardCharsets.UTF_8)) != null) {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "The form field '" + name
                        + "' is given more than once.");
            }
        }
        if (file == null) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "POST requires exactly one file upload per request.");
        }
        String keyField = fields.get("key");
        if (keyField == null) {
            throw missing("key");
        }
        PostPolicy policy = authenticate(call, fields, verifier, credentials);
        String key = keyField.replace("${filename}", baseName(file.filename()));
        if (key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "User key must have a length greater than 0.");
        }
        rejectUnsupported(fields);
        return new PostObject(fields, file, Keys.validateKey(key), policy);
    }

    /** Sets {@code call.auth} from the form's signature; the verified policy, or {@code null} when anonymous. */
    private static PostPolicy authenticate(Call call, Map<String, String> fields, SigV4Verifier verifier,
            CredentialLookup credentials) {
        if (fields.containsKey("awsaccesskeyid") || fields.containsKey("signature")) {
            throw new S3Exception(S3ErrorCode.NotImplemented, "POST forms signed with Signature Version 2 "
                    + "(AWSAccessKeyId, signature) are not supported; sign the policy with AWS4-HMAC-SHA256.");
        }
        String policyField = fields.get("policy");
        boolean signed = V4_FIELDS.stream().anyMatch(fields::containsKey);
        if (policyField == null && !signed) {
            if (fields.containsKey("x-amz-security-token")) {
                throw missing("policy");
            }
            call.auth = Authentication.ANONYMOUS;
            return null;
        }
        if (policyField == null) {
            throw missing("policy");
        }
        for (String name : V4_FIELDS) {
            if (!fields.containsKey(name)) {
                throw missing(name);
            }
        }
        PostPolicy policy = PostPolicy.parse(policyField);
        call.auth = new PostPolicySignature(fields.get("x-amz-algorithm"), fields.get("x-amz-credential"),
                fields.get("x-amz-date"), fields.get("x-amz-signature"), fields.get("x-amz-security-token"))
                .verify(verifier, policyField, credentials, call.requestId);
        try {
            policy.check(fields, call.bucket.name(), verifier.now());
        } catch (S3Exception e) {
            LOG.info("Request {}: POST form refused: {}", call.requestId, e.getMessage());
            throw e;
        }
        return policy;
    }

    /** A file name as browsers send it, without any directory a client may have added. */
    static String baseName(String filename) {
        if (filename == null) {
            return "";
        }
        int slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
        return filename.substring(slash + 1);
    }

    private static S3Exception missing(String field) {
        return new S3Exception(S3ErrorCode.InvalidArgument, "Bucket POST must contain a field named '" + field
                + "'.  If it is specified, please check the order of the fields.");
    }

    /** Fields that ask for storage features the gateway does not offer: refused, never silently ignored. */
    private static void rejectUnsupported(Map<String, String> fields) {
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String name = f.getKey();
            String value = f.getValue();
            boolean unsupported = name.startsWith("x-amz-server-side-encryption")
                    || name.startsWith("x-amz-object-lock-") || name.equals("x-amz-website-redirect-location")
                    || name.startsWith("x-amz-grant-")
                    || (name.equals("acl") && !value.equals("private") && !value.equals("bucket-owner-full-control"))
                    || (name.equals("x-amz-storage-class") && !value.equalsIgnoreCase("STANDARD"));
            if (unsupported) {
                throw new S3Exception(S3ErrorCode.NotImplemented, "unsupported POST form field " + name);
            }
        }
    }

    /** Streams the file to the store and answers as {@code success_action_*} asks. */
    void upload(Call call, long maxObjectSize) throws IOException {
        long min = policy == null ? 0 : policy.minLength();
        long max = policy == null ? Long.MAX_VALUE : policy.maxLength();
        InputStream limited = new SizeLimit(file.body(), min, max, maxObjectSize);
        Map<String, List<String>> checksums = new TreeMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith("x-amz-checksum-") && !name.equals("x-amz-checksum-algorithm")) {
                checksums.put(name, List.of(value));
            }
        });
        InputStream verified = PayloadVerifier.wrap(null, new SignedRequest("POST", "/", null, checksums), limited,
                -1).stream();
        ObjectAttributes attributes = withTags(call, attributes());
        ObjectMeta meta = S3Operations.checkedWrite(call, new TrackingStream(verified), -1,
                body -> call.store.put(call.backendKey(key), body, attributes, Preconditions.NONE));
        respond(call, meta.etag());
    }

    /** The {@code tagging} field: a {@code <Tagging>} document, as PutObjectTagging takes it. */
    private ObjectAttributes withTags(Call call, ObjectAttributes attributes) {
        String tagging = fields.get("tagging");
        if (tagging == null) {
            return attributes;
        }
        Tagging.requireSupport(call);
        XmlInput.Element doc = new XmlInput(MAX_PRE_DATA).parse(tagging.getBytes(StandardCharsets.UTF_8));
        return attributes.withTags(Tagging.parseDocument(doc));
    }

    private ObjectAttributes attributes() {
        Map<String, String> meta = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith("x-amz-meta-") && name.length() > 11) {
                meta.put(name.substring(11), value);
            }
        });
        return new ObjectAttributes(fields.get("content-type"), fields.get("content-encoding"),
                fields.get("content-disposition"), fields.get("content-language"), fields.get("cache-control"),
                fields.get("expires"), meta);
    }

    private void respond(Call call, String etag) throws IOException {
        HttpExchange ex = call.exchange;
        String location = S3Operations.location(call, key);
        String redirect = fields.getOrDefault("success_action_redirect", fields.get("redirect"));
        URI target = redirect == null ? null : redirectTarget(redirect, call.bucket.name(), key, etag);
        if (etag != null) {
            ex.setHeader("ETag", etag);
        }
        if (location != null) {
            ex.setHeader("Location", location);
        }
        if (target != null) {
            ex.setHeader("Location", target.toString());
            S3Operations.sendEmpty(call, 303);
            return;
        }
        String status = fields.get("success_action_status");
        if ("201".equals(status)) {
            XmlWriter x = new XmlWriter().start("PostResponse");
            x.element("Location", location).element("Bucket", call.bucket.name()).element("Key", key)
                    .element("ETag", etag);
            S3Operations.sendXml(call, 201, x.end().toBytes());
        } else {
            S3Operations.sendEmpty(call, "200".equals(status) ? 200 : 204);
        }
    }

    /** The redirect with {@code bucket}, {@code key} and {@code etag} added; {@code null} if it is no URL. */
    static URI redirectTarget(String redirect, String bucket, String key, String etag) {
        try {
            URI uri = new URI(redirect);
            if (!uri.isAbsolute() || uri.getScheme() == null
                    || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
                return null;
            }
        } catch (URISyntaxException e) {
            return null; // S3 then answers as if there were no redirect
        }
        String query = "bucket=" + Keys.urlEncode(bucket) + "&key=" + Keys.urlEncode(key)
                + (etag == null ? "" : "&etag=" + Keys.urlEncode(etag));
        return URI.create(redirect + (redirect.contains("?") ? "&" : "?") + query);
    }

    /**
     * The file's bytes, counted: more than the policy's maximum (or the gateway's) fails on the read that crosses
     * it, fewer than the minimum at the end, each before the store could complete the object.
     */
    private static final class SizeLimit extends FilterInputStream {
        private final long min;
        private final long max;
        private final long gatewayMax;
        private long count;

        SizeLimit(InputStream in, long min, long max, long gatewayMax) {
            super(in);
            this.min = min;
            this.max = max;
            this.gatewayMax = gatewayMax;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                if (count < min) {
                    throw new PayloadException(new S3Exception(S3ErrorCode.EntityTooSmall, "Your proposed upload is "
                            + "smaller than the minimum allowed size of " + min + " bytes"));
                }
                return n;
            }
            count += n;
            if (count > max) {
                throw new PayloadException(new S3Exception(S3ErrorCode.EntityTooLarge, "Your proposed upload "
                        + "exceeds the maximum allowed size of " + max + " bytes"));
            }
            if (count > gatewayMax) {
                throw new PayloadException(new S3Exception(S3ErrorCode.EntityTooLarge, "Your proposed upload "
                        + "exceeds the maximum allowed size of " + gatewayMax + " bytes"));
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(8192, Math.max(1, n))];
            int r = read(scratch, 0, scratch.length);
            return Math.max(0, r);
        }
    }
}
