package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.ObjectStore;
import io.multistore.api.backend.PartInfo;
import io.multistore.api.backend.PartListing;
import io.multistore.api.http.HttpExchange;
import io.multistore.core.internal.auth.Checksums;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flexible checksums on the wire: the response headers and XML elements that carry them, and the checksum of a
 * multipart object worked out at completion from the parts the store kept.
 */
final class ChecksumSupport {

    static final String[] ALGORITHMS = {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"};
    private static final int PAGE = 1000;

    private ChecksumSupport() {
    }

    /** Whether the request asks for checksums ({@code x-amz-checksum-mode: ENABLED}). */
    static boolean wanted(HttpExchange ex) {
        String mode = ex.header("x-amz-checksum-mode");
        return mode != null && mode.trim().equalsIgnoreCase("ENABLED");
    }

    /** {@code x-amz-checksum-<alg>} and {@code x-amz-checksum-type}; nothing when there is no value. */
    static void headers(HttpExchange ex, ObjectChecksum checksum) {
        if (checksum != null && checksum.value() != null) {
            ex.setHeader(checksum.headerName(), checksum.value());
            ex.setHeader("x-amz-checksum-type", checksum.type());
        }
    }

    /** {@code <ChecksumCRC32C>} (and {@code <ChecksumType>} when {@code withType}). */
    static void elements(XmlWriter x, ObjectChecksum checksum, boolean withType) {
        if (checksum != null && checksum.value() != null) {
            x.element(checksum.elementName(), checksum.value());
            if (withType) {
                x.element("ChecksumType", checksum.type());
            }
        }
    }

    /** The {@code <ChecksumCRC32C>} of a {@code <Part>} of CompleteMultipartUpload, or {@code null}. */
    static ObjectChecksum partChecksum(XmlInput.Element part) {
        for (String algorithm : ALGORITHMS) {
            String value = part.childText("Checksum" + algorithm);
            if (value != null) {
                return new ObjectChecksum(algorithm, value.trim(), null);
            }
        }
        return null;
    }

    /** The parts to complete, with the checksums the store kept, and the object's checksum from them. */
    record Completion(List<CompletedPart> parts, ObjectChecksum checksum) {
    }

    /**
     * Reads the upload's parts from the store and works out the object's checksum. The parts the client named must
     * carry the upload's algorithm and, where the client sent a part checksum, match the stored one
     * ({@code InvalidPart}); a full-object checksum the client sent ({@code x-amz-checksum-*}) must match
     * ({@code BadDigest}).
     */
    static Completion complete(ObjectStore store, String key, String uploadId, List<CompletedPart> parts,
            HttpExchange ex) {
        Map<Integer, PartInfo> stored = new HashMap<>();
        ObjectChecksum upload = null;
        int marker = 0;
        while (true) {
            PartListing page;
            try {
                page = store.listParts(key, uploadId, marker, PAGE);
            } catch (S3Exception e) {
                if (e.code() == S3ErrorCode.NoSuchUpload) {
                    // perhaps completed already: a retried completion is the store's to recognise or refuse
                    return new Completion(parts, null);
                }
                throw e;
            }
            if (page.checksum() != null) {
                upload = page.checksum();
            }
            for (PartInfo p : page.parts()) {
                stored.put(p.partNumber(), p);
            }
            if (!page.truncated() || page.nextPartNumberMarker() <= marker) {
                break;
            }
            marker = page.nextPartNumberMarker();
        }
        if (upload == null) {
            return new Completion(parts, null);
        }
        List<CompletedPart> named = new ArrayList<>(parts.size());
        List<PartInfo> infos = new ArrayList<>(parts.size());
        for (CompletedPart part : parts) {
            PartInfo info = stored.get(part.partNumber());
            if (info == null) {
                throw new S3Exception(S3ErrorCode.InvalidPart, "One or more of the specified parts could not be "
                        + "found. The part may not have been uploaded, or the specified entity tag may not match "
                        + "the part's entity tag.");
            }
            ObjectChecksum kept = info.checksum();
            if (kept == null || kept.value() == null || !kept.algorithm().equals(upload.algorithm())) {
                throw new S3Exception(S3ErrorCode.InvalidRequest, "The upload was created using a "
                        + upload.algorithm().toLowerCase(Locale.ROOT) + " checksum. Part " + part.partNumber()
                        + " was uploaded without it.");
            }
            ObjectChecksum sent = part.checksum();
            if (sent != null && (!sent.algorithm().equals(upload.algorithm())
                    || !Checksums.sameValue(sent.value(), kept.value()))) {
                throw new S3Exception(S3ErrorCode.InvalidPart, "The checksum of part " + part.partNumber()
                        + " does not match the checksum of the uploaded part.");
            }
            named.add(new CompletedPart(part.partNumber(), part.etag(), kept));
            infos.add(info);
        }
        ObjectChecksum checksum = Checksums.ofParts(upload, infos);
        String sentWhole = ex.header(checksum.headerName());
        if (sentWhole != null && !Checksums.sameValue(sentWhole, checksum.value())
                && !Checksums.sameValue(sentWhole + "-" + infos.size(), checksum.value())) {
            throw new S3Exception(S3ErrorCode.BadDigest, "The " + checksum.algorithm()
                    + " you specified did not match the calculated checksum.");
        }
        return new Completion(named, checksum);
    }
}
