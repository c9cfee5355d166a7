package io.multistore.backend.azure.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How S3 names and tags become Azure ones and back: metadata names, entity tags and block ids.
 *
 * <h2>Metadata names</h2>
 * Azure metadata names must be C# identifiers, S3's may hold any printable ASCII. A name made only of lower-case
 * letters and digits, starting with a letter, is stored as it is; any other is stored as {@code ms_} followed by the
 * name with every byte outside {@code [a-z0-9]} written {@code _XX} (two hex digits of its UTF-8 byte). Decoding is
 * the reverse; names written by other tools that do not start with {@code ms_} are read as they are. The gateway's
 * own entries start with {@code _}, which no encoded S3 name does.
 *
 * <h2>Entity tags</h2>
 * An S3 client must get a quoted, hex-looking ETag, the same from PUT, HEAD, GET and LIST. Azure's own ETag
 * ({@code "0x8DC…"}) changes whenever properties change and is not what S3 SDKs expect, so the ETag is derived from
 * the blob's stored {@code Content-MD5}, which Azure keeps with the blob and returns on every read and listing:
 * <ul>
 *   <li>a blob with a Content-MD5: its hex, as S3 gives for a single PUT
 *       ({@code "5eb63bbbe01eeed093cb22bb8f5acdc3"});</li>
 *   <li>a blob completed from a multipart upload: its Content-MD5 is set to the MD5 of the parts' binary MD5s and the
 *       metadata entry {@value #PARTS} holds the part count, giving S3's multipart form ({@code "…-3"});</li>
 *   <li>a blob without a Content-MD5 (written by another tool): Azure's ETag without its {@code 0x}, lower case.</li>
 * </ul>
 * Conditions a client sends with these tags are evaluated against the derived tag; writes then pin Azure's own ETag so
 * the check and the write are atomic.
 *
 * <h2>Block ids</h2>
 * {@code base64(uploadId + "-" + part(5 digits) + "-" + block(3 digits))}: 42 characters before encoding for every
 * block this gateway stages (Azure wants equal lengths within a blob), derived from the upload id and part number
 * alone, so a gateway restart loses nothing and a part sent again replaces its blocks.
 */
final class AzureNames {

    /** Metadata entry: the part count of a blob completed from a multipart upload. */
    static final String PARTS = "_multistore_parts";
    /** Metadata entry: the object's {@code Expires} header, which Azure has no property for. */
    static final String EXPIRES = "_multistore_expires";
    private static final String ESCAPED = "ms_";
    private static final HexFormat HEX = HexFormat.of();

    private AzureNames() {
    }

    // ---------------------------------------------------------------- metadata

    static String encodeName(String name) {
        if (isPlain(name)) {
            return name;
        }
        StringBuilder out = new StringBuilder(ESCAPED);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else {
                out.append('_').append(HEX.toHexDigits(b));
            }
        }
        return out.toString();
    }

    static String decodeName(String stored) {
        String name = stored.toLowerCase(Locale.ROOT);
        if (!name.startsWith(ESCAPED)) {
            return name;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = ESCAPED.length(); i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_') {
                if (i + 2 >= name.length()) {
                    return name;
                }
                try {
                    bytes.write(HEX.fromHexDigits(name, i + 1, i + 3));
                } catch (RuntimeException e) {
                    return name;
                }
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isPlain(String name) {
        if (name.isEmpty() || !(name.charAt(0) >= 'a' && name.charAt(0) <= 'z')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** S3 user metadata (and the gateway's own entries) as Azure metadata. */
    static Map<String, String> toAzure(Map<String, String> userMetadata, String expires, Integer parts) {
        Map<String, String> metadata = new HashMap<>();
        userMetadata.forEach((k, v) -> metadata.put(encodeName(k), v));
        if (expires != null) {
            metadata.put(EXPIRES, expires);
        }
        if (parts != null) {
            metadata.put(PARTS, Integer.toString(parts));
        }
        return metadata;
    }

    /** Azure metadata as S3 user metadata, without the gateway's own entries. */
    static Map<String, String> userMetadata(Map<String, String> azure) {
        Map<String, String> user = new TreeMap<>();
        if (azure != null) {
            azure.forEach((k, v) -> {
                if (!k.startsWith("_")) {
                    user.put(decodeName(k), v);
                }
            });
        }
        return user;
    }

    /** A metadata entry looked up case-insensitively (Azure keeps the case names were written in). */
    static String entry(Map<String, String> azure, String name) {
        if (azure == null) {
            return null;
        }
        for (Map.Entry<String, String> e : azure.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- entity tags

    /**
     * The S3 ETag of a blob, quoted (see the class comment).
     *
     * @param contentMd5 the blob's Content-MD5 bytes, or {@code null}
     * @param parts      the {@value #PARTS} metadata value, or {@code null}
     * @param azureEtag  Azure's own ETag
     */
    static String etag(byte[] contentMd5, String parts, String azureEtag) {
        if (contentMd5 != null && contentMd5.length > 0) {
            String hex = HEX.formatHex(contentMd5);
            return "\"" + (parts == null || parts.isBlank() ? hex : hex + "-" + parts.trim()) + "\"";
        }
        String tag = azureEtag == null ? "" : azureEtag.replace("\"", "");
        if (tag.startsWith("0x") || tag.startsWith("0X")) {
            tag = tag.substring(2);
        }
        return "\"" + tag.toLowerCase(Locale.ROOT) + "\"";
    }

    /** The base64 Content-MD5 header value as bytes, or {@code null}. */
    static byte[] md5(String base64) {
        if (base64 == null || base64.isBlank()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    // ---------------------------------------------------------------- block ids

    /** The id of block {@code block} of part {@code part} (0 for a single PUT's blocks) of an upload. */
    static String blockId(String uploadId, int part, int block) {
        String raw = uploadId + "-" + String.format(Locale.ROOT, "%05d-%03d", part, block);
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** A new upload id: 32 lower-case hex digits. */
    static String newUploadId() {
        return java.util.UUID.randomUUID().toString().replace("-", "");
    }

    /** Whether a string can be an upload id of this backend. */
    static boolean isUploadId(String id) {
        if (id == null || id.length() != 32) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
