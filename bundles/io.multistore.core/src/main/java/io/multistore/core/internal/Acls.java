package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.Preconditions;
import io.multistore.api.http.HttpExchange;
import io.multistore.core.internal.S3Gateway.Call;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * ACLs as S3 answers them for a bucket whose Object Ownership is "bucket owner enforced" (ACLs disabled, the default
 * for new buckets since 2023): the gateway's scopes are the access policy, so every bucket and object is owned by the
 * bucket owner with FULL_CONTROL, plus a READ grant to everyone on a bucket with {@code anonymous_access}. Reading an
 * ACL always works; writing one succeeds only when it asks for exactly that ({@code private},
 * {@code bucket-owner-full-control}, or a policy granting only the owner FULL_CONTROL); anything else is refused with
 * {@code AccessControlListNotSupported}, never accepted and dropped. The owner shown is the caller, as in ListBuckets.
 */
final class Acls {

    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    private Acls() {
    }

    /**
     * Refuses {@code x-amz-acl} other than {@code private} and {@code bucket-owner-full-control}, and any
     * {@code x-amz-grant-*} header, as S3 does on a bucket with ACLs disabled.
     */
    static void checkHeaders(HttpExchange ex) {
        for (String name : ex.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-grant-")) {
                throw notSupported("the grant header " + lower);
            }
            if (lower.equals("x-amz-acl")) {
                String value = ex.header(name).trim();
                if (!value.equalsIgnoreCase("private") && !value.equalsIgnoreCase("bucket-owner-full-control")) {
                    throw notSupported("the canned ACL " + value);
                }
            }
        }
    }

    /** GetBucketAcl and GetObjectAcl: the object must exist (NoSuchKey otherwise). */
    static void get(Call call) throws IOException {
        if (call.request.key() != null) {
            call.store.head(call.backendKey(call.request.key()), Preconditions.NONE);
        }
        Listings.Owner owner = S3Operations.owner(call.identity());
        XmlWriter x = new XmlWriter().root("AccessControlPolicy");
        Listings.owner(x, owner);
        x.start("AccessControlList");
        x.start("Grant").start("Grantee", "xmlns:xsi", XSI, "xsi:type", "CanonicalUser")
                .element("ID", owner.id()).element("DisplayName", owner.displayName()).end()
                .element("Permission", "FULL_CONTROL").end();
        if (call.request.key() == null && call.bucket.anonymousAccess()) {
            x.start("Grant").start("Grantee", "xmlns:xsi", XSI, "xsi:type", "Group").element("URI", ALL_USERS).end()
                    .element("Permission", "READ").end();
        }
        x.end();
        S3Operations.sendXml(call, 200, x.end().toBytes());
    }

    /**
     * PutBucketAcl and PutObjectAcl: succeeds without changing anything when the ACL asked for is the one every
     * bucket and object has.
     *
     * @param body the AccessControlPolicy document, or {@code null} when none was sent
     */
    static void put(Call call, XmlInput.Element body) {
        checkHeaders(call.exchange);
        if (call.request.key() != null) {
            call.store.head(call.backendKey(call.request.key()), Preconditions.NONE);
        }
        if (body != null) {
            checkPolicy(body, S3Operations.owner(call.identity()).id());
        } else if (call.exchange.header("x-amz-acl") == null) {
            throw new S3Exception(S3ErrorCode.MissingSecurityHeader, "Your request was missing a required header",
                    "x-amz-acl", null);
        }
        S3Operations.sendEmpty(call, 200);
    }

    /** An AccessControlPolicy document that grants exactly FULL_CONTROL to the owner, else the refusal. */
    static void checkPolicy(XmlInput.Element policy, String ownerId) {
        if (!policy.name().equals("AccessControlPolicy")) {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
        XmlInput.Element list = policy.child("AccessControlList");
        List<XmlInput.Element> grants = list == null ? List.of() : list.all("Grant");
        if (grants.size() != 1) {
            throw notSupported(grants.size() + " grants");
        }
        XmlInput.Element grant = grants.get(0);
        XmlInput.Element grantee = grant.child("Grantee");
        String id = grantee == null ? null : grantee.childText("ID");
        if (!"FULL_CONTROL".equals(grant.childText("Permission")) || id == null || !id.equals(ownerId)
                || grantee.child("URI") != null || grantee.child("EmailAddress") != null) {
            throw notSupported("a grant other than FULL_CONTROL to the owner");
        }
    }

    private static S3Exception notSupported(String what) {
        return S3Exception.withDetail(S3ErrorCode.AccessControlListNotSupported,
                S3ErrorCode.AccessControlListNotSupported.defaultMessage(), "ACLs are disabled; refused " + what);
    }
}
