package io.multistore.backend.azure.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AzureNamesTest {

    /** A C# identifier, as Azure requires of metadata names. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @ParameterizedTest
    @ValueSource(strings = {"plain", "v2", "with-dash", "under_score", "_lead", "9digit", "dots.and.more", "ms_x",
        "ms_5f", "ünïcode", "space here", "ms", "a"})
    void metadataNamesAreIdentifiersAndRoundTrip(String name) {
        String encoded = AzureNames.encodeName(name);
        assertTrue(IDENTIFIER.matcher(encoded).matches(), encoded);
        assertFalse(encoded.startsWith("_"), "the gateway's own names start with _: " + encoded);
        assertEquals(name, AzureNames.decodeName(encoded));
    }

    @Test
    void plainNamesAreStoredAsTheyAre() {
        assertEquals("origin", AzureNames.encodeName("origin"));
        assertEquals("ms_with_2ddash", AzureNames.encodeName("with-dash"));
        // a name another tool wrote is read as it is
        assertEquals("my_key", AzureNames.decodeName("My_Key"));
    }

    @Test
    void gatewayEntriesAreNotUserMetadata() {
        Map<String, String> azure = AzureNames.toAzure(Map.of("with-dash", "1", "a", "2"),
                "Thu, 01 Jan 2037 00:00:00 GMT", 3);
        assertEquals("3", AzureNames.entry(azure, AzureNames.PARTS));
        assertEquals("Thu, 01 Jan 2037 00:00:00 GMT", AzureNames.entry(azure, AzureNames.EXPIRES));
        assertEquals(Map.of("with-dash", "1", "a", "2"), AzureNames.userMetadata(azure));
    }

    @Test
    void etagsAreQuotedHex() {
        byte[] md5 = HexFormat.of().parseHex("5eb63bbbe01eeed093cb22bb8f5acdc3");
        assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", AzureNames.etag(md5, null, "\"0x8DC1\""));
        assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3-3\"", AzureNames.etag(md5, "3", "\"0x8DC1\""));
        // no MD5 (a blob another tool committed from blocks): Azure's own tag, as hex
        assertEquals("\"8dc1a2b3c4d5e6f\"", AzureNames.etag(null, null, "\"0x8DC1A2B3C4D5E6F\""));
    }

    @Test
    void blockIdsHaveOneLengthAndDependOnlyOnUploadAndPart() {
        String upload = AzureNames.newUploadId();
        assertTrue(AzureNames.isUploadId(upload));
        Set<String> ids = new HashSet<>();
        for (int part : new int[] {0, 1, 42, 10_000}) {
            for (int block : new int[] {0, 7, 999}) {
                String id = AzureNames.blockId(upload, part, block);
                assertEquals(AzureNames.blockId(upload, part, block), id);
                assertEquals(56, id.length(), id);
                assertTrue(new String(Base64.getDecoder().decode(id), StandardCharsets.US_ASCII).startsWith(upload));
                ids.add(id);
            }
        }
        assertEquals(12, ids.size());
        assertFalse(AzureNames.isUploadId("AAAAAAAAAAAAAAAAAAAAAA"));
    }
}
