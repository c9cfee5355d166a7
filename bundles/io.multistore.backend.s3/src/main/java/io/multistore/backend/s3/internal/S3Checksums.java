package io.multistore.backend.s3.internal;

import io.multistore.api.backend.CompletedPart;
import io.multistore.api.backend.ObjectChecksum;
import io.multistore.api.backend.StoredChecksums;
import io.multistore.lib.dataplane.BackendResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Flexible checksums between the gateway's records and S3's wire: S3 computes and keeps them itself, so the store
 * passes them through (headers on the data plane, model fields on the control plane).
 */
final class S3Checksums {

    private static final String[] ALGORITHMS = {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"};

    private S3Checksums() {
    }

    /** Asks S3 for the stored checksum on HEAD and GET. */
    static final Map<String, String> MODE = Map.of("x-amz-checksum-mode", "ENABLED");

    /** The checksum and part count of an answer to HEAD or GET. */
    static StoredChecksums fromHeaders(BackendResponse response, String quotedEtag) {
        ObjectChecksum checksum = null;
        for (String algorithm : ALGORITHMS) {
            String value = response.header("x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT));
            if (value != null) {
                checksum = new ObjectChecksum(algorithm, value, type(response.header("x-amz-checksum-type"), value));
                break;
            }
        }
        int parts = partsCount(response.header("x-amz-mp-parts-count"), quotedEtag);
        return checksum == null && parts == 0 ? StoredChecksums.NONE : new StoredChecksums(checksum, parts, List.of());
    }

    /** The headers that give S3 a body's checksum when its value is known before the body is sent. */
    static void putUpFront(Map<String, String> headers, ObjectChecksum checksum) {
        if (checksum != null && checksum.value() != null) {
            headers.put(checksum.headerName(), checksum.value());
        }
    }

    /** The algorithm the data plane should send as a trailer: known up front, value only at the end. */
    static String trailer(ObjectChecksum checksum) {
        return checksum != null && checksum.value() == null ? checksum.algorithm() : null;
    }

    static ObjectChecksum ofPart(Part p) {
        return first(p.checksumCRC32(), p.checksumCRC32C(), p.checksumCRC64NVME(), p.checksumSHA1(),
                p.checksumSHA256());
    }

    static ObjectChecksum ofUpload(ListPartsResponse response) {
        String algorithm = response.checksumAlgorithmAsString();
        if (algorithm == null || algorithm.isEmpty()) {
            return null;
        }
        String type = response.checksumTypeAsString();
        return new ObjectChecksum(algorithm, null, type == null || type.isEmpty() ? null : type);
    }

    static software.amazon.awssdk.services.s3.model.CompletedPart.Builder completed(
            software.amazon.awssdk.services.s3.model.CompletedPart.Builder b, CompletedPart part) {
        ObjectChecksum c = part.checksum();
        if (c == null || c.value() == null) {
            return b;
        }
        return switch (c.algorithm()) {
            case "CRC32" -> b.checksumCRC32(c.value());
            case "CRC32C" -> b.checksumCRC32C(c.value());
            case "CRC64NVME" -> b.checksumCRC64NVME(c.value());
            case "SHA1" -> b.checksumSHA1(c.value());
            case "SHA256" -> b.checksumSHA256(c.value());
            default -> b;
        };
    }

    private static ObjectChecksum first(String... values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null && !values[i].isEmpty()) {
                return new ObjectChecksum(ALGORITHMS[i], values[i], null);
            }
        }
        return null;
    }

    private static String type(String header, String value) {
        if (header != null && !header.isEmpty()) {
            return header.toUpperCase(Locale.ROOT);
        }
        return value.matches(".*-\\d+$") ? ObjectChecksum.COMPOSITE : ObjectChecksum.FULL_OBJECT;
    }

    private static int partsCount(String header, String quotedEtag) {
        try {
            if (header != null) {
                return Integer.parseInt(header.trim());
            }
            if (quotedEtag != null) {
                String etag = quotedEtag.replace("\"", "");
                int dash = etag.lastIndexOf('-');
                if (dash > 0) {
                    return Integer.parseInt(etag.substring(dash + 1));
                }
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
