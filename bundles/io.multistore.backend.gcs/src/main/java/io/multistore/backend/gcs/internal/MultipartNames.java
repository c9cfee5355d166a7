package io.multistore.backend.gcs.internal;

import io.multistore.api.backend.UploadInfo;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where multipart uploads live in a GCS bucket, all under the hidden prefix {@value #ROOT}:
 * <ul>
 *   <li>{@code ROOT m/HEXKEY/UPLOADID}: one empty marker per upload, holding the target's content headers and
 *       metadata; HEXKEY is the target key's UTF-8 bytes in hex, which keeps S3's key order (hex is
 *       order-preserving, and {@code /} sorts before every hex digit, so {@code a} comes before {@code ab}) and
 *       makes "uploads of keys starting with P" a plain prefix listing;</li>
 *   <li>{@code ROOT p/UPLOADID/NNNNN}: part NNNNN (zero-padded, so parts list in number order);</li>
 *   <li>{@code ROOT t/UPLOADID/R-I}: intermediate composites of a completion with more than 32 parts.</li>
 * </ul>
 * Upload ids are 12 hex digits of the creation time in milliseconds and 16 random hex digits, so uploads of one key
 * list in the order they were created, as S3 lists them.
 */
final class MultipartNames {

    static final String ROOT = ".multistore-uploads/";
    /** Custom-metadata names this backend reserves. */
    static final String META_PREFIX = "multistore-";
    /** GCS's limit of an object name, in UTF-8 bytes. */
    static final int MAX_NAME = 1024;
    /** The longest key a marker name can hold: (1024 - prefix - id) / 2. */
    static final int MAX_MULTIPART_KEY = (MAX_NAME - (ROOT.length() + 2 + 1 + 28)) / 2;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private MultipartNames() {
    }

    static boolean hidden(String name) {
        return name.startsWith(ROOT);
    }

    static String newUploadId() {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return String.format(Locale.ROOT, "%012x", System.currentTimeMillis() & 0xffffffffffffL)
                + HEX.formatHex(random);
    }

    /** Whether an upload id has this backend's shape (anything else names no upload). */
    static boolean validUploadId(String uploadId) {
        if (uploadId == null || uploadId.length() != 28) {
            return false;
        }
        for (int i = 0; i < uploadId.length(); i++) {
            char c = uploadId.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static String marker(String key, String uploadId) {
        return markerPrefix(key) + "/" + uploadId;
    }

    /** The marker names of every upload whose key starts with {@code keyPrefix} start with this. */
    static String markerPrefix(String keyPrefix) {
        return ROOT + "m/" + HEX.formatHex(keyPrefix.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The name a listing after ({@code keyMarker}, {@code uploadIdMarker}) starts from (GCS's inclusive
     * {@code startOffset}; a marker with exactly this name is skipped).
     */
    static String markerAfter(String keyMarker, String uploadIdMarker) {
        if (uploadIdMarker == null || uploadIdMarker.isEmpty()) {
            // after every upload of keyMarker: '~' sorts after every hex digit of an upload id
            return markerPrefix(keyMarker) + "/~";
        }
        return marker(keyMarker, uploadIdMarker);
    }

    /** The upload a marker name stands for, or {@code null} if the name is not a marker. */
    static UploadInfo parseMarker(String name, Instant initiated) {
        String rest = name.substring(ROOT.length() + 2);
        int slash = rest.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        String id = rest.substring(slash + 1);
        if (!validUploadId(id)) {
            return null;
        }
        try {
            String key = new String(HEX.parseHex(rest.substring(0, slash)), StandardCharsets.UTF_8);
            return new UploadInfo(key, id, initiated);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String partPrefix(String uploadId) {
        return ROOT + "p/" + uploadId + "/";
    }

    static String part(String uploadId, int partNumber) {
        return partPrefix(uploadId) + String.format(Locale.ROOT, "%05d", partNumber);
    }

    /** The part number of a part object's name, or -1. */
    static int partNumber(String name, String prefix) {
        try {
            return Integer.parseInt(name.substring(prefix.length()));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    static String intermediate(String uploadId, int round, int index) {
        return ROOT + "t/" + uploadId + "/" + round + "-" + index;
    }
}
