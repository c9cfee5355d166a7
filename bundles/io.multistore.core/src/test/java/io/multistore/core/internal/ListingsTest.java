package io.multistore.core.internal;

import io.multistore.api.backend.ObjectKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import io.multistore.api.backend.ListPage;
import io.multistore.api.backend.ObjectSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListingsTest {

    private static final Listings.Owner OWNER = new Listings.Owner("alice", "alice");
    private static final Instant T = Instant.parse("2024-01-02T03:04:05.678Z");

    private static ObjectSummary obj(String key) {
        return new ObjectSummary(key, 5, "\"abc\"", T);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void v2MapsKeysAndEscapes() {
        ListPage page = new ListPage(List.of(obj("pre/a&b"), obj("pre/c d")), List.of("pre/dir/"), true, "store-tok");
        String xml = s(Listings.listV2("bkt", new Listings.Query("", "/", null, null, 3, false, true), page, "pre/",
                OWNER));
        assertTrue(xml.contains("<Name>bkt</Name><Prefix></Prefix><Delimiter>/</Delimiter><MaxKeys>3</MaxKeys>"
                + "<KeyCount>3</KeyCount><IsTruncated>true</IsTruncated>"), xml);
        assertTrue(xml.contains("<Contents><Key>a&amp;b</Key><LastModified>2024-01-02T03:04:05.678Z</LastModified>"
                + "<ETag>&quot;abc&quot;</ETag><Size>5</Size><Owner><ID>alice</ID><DisplayName>alice</DisplayName>"
                + "</Owner><StorageClass>STANDARD</StorageClass></Contents>"), xml);
        assertTrue(xml.contains("<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>"), xml);
        assertFalse(xml.contains("pre/"), xml);
        String token = xml.substring(xml.indexOf("<NextContinuationToken>") + 23, xml.indexOf("</NextContinuation"));
        assertEquals(new Listings.Continuation("store-tok", null), Listings.decodeToken(token));
    }

    @Test
    void v2WithoutStoreTokenContinuesAfterTheLastEntry() {
        ListPage page = new ListPage(List.of(obj("p/a"), obj("p/z")), List.of("p/m/"), true, null);
        String xml = s(Listings.listV2("b", new Listings.Query("", "/", null, null, 3, false, false), page, "p/",
                OWNER));
        assertFalse(xml.contains("<Owner>"), xml);
        String token = xml.substring(xml.indexOf("<NextContinuationToken>") + 23, xml.indexOf("</NextContinuation"));
        assertEquals(new Listings.Continuation(null, "z"), Listings.decodeToken(token));
    }

    @Test
    void urlEncodingCoversEveryKeyField() {
        ListPage page = new ListPage(List.of(obj("x/a b+c€")), List.of("x/d e/"), false, null);
        String xml = s(Listings.listV2("b", new Listings.Query("a b", " ", "s t", null, 10, true, false), page, "x/",
                OWNER));
        assertTrue(xml.contains("<Prefix>a%20b</Prefix>"), xml);
        assertTrue(xml.contains("<Delimiter>%20</Delimiter>"), xml);
        assertTrue(xml.contains("<EncodingType>url</EncodingType>"), xml);
        assertTrue(xml.contains("<StartAfter>s%20t</StartAfter>"), xml);
        assertTrue(xml.contains("<Key>a%20b%2Bc%E2%82%AC</Key>"), xml);
        assertTrue(xml.contains("<CommonPrefixes><Prefix>d%20e/</Prefix>"), xml);
    }

    @Test
    void v1NextMarkerOnlyWithDelimiter() {
        ListPage page = new ListPage(List.of(obj("a"), obj("c")), List.of("b/"), true, "t");
        String with = s(Listings.listV1("b", new Listings.Query("", "/", "0", null, 3, false, false), page, "",
                OWNER));
        assertTrue(with.contains("<Marker>0</Marker>"), with);
        assertTrue(with.contains("<NextMarker>c</NextMarker>"), with);
        assertTrue(with.contains("<Owner>"), with);
        ListPage prefixLast = new ListPage(List.of(obj("a")), List.of("b/"), true, "t");
        assertTrue(s(Listings.listV1("b", new Listings.Query("", "/", null, null, 2, false, false), prefixLast, "",
                OWNER)).contains("<NextMarker>b/</NextMarker>"));
        String without = s(Listings.listV1("b", new Listings.Query("", null, null, null, 3, false, false), page, "",
                OWNER));
        assertFalse(without.contains("NextMarker"), without);
        assertTrue(without.contains("<Marker></Marker>"), without);
    }

    @Test
    void keysOutsideThePrefixAreNeverShown() {
        assertEquals(List.of("a", ""), Listings.strip(List.of("p/a", "other", "p/"), "p/"));
    }

    @Test
    void maxKeysRules() {
        assertEquals(1000, Listings.maxKeys(null, "max-keys"));
        assertEquals(1000, Listings.maxKeys("5000", "max-keys"));
        assertEquals(0, Listings.maxKeys("0", "max-keys"));
        for (String bad : new String[] {"-1", "x", "1.5", "99999999999"}) {
            assertEquals(S3ErrorCode.InvalidArgument,
                    assertThrows(S3Exception.class, () -> Listings.maxKeys(bad, "max-keys")).code());
        }
    }

    @Test
    void lastUsesByteOrder() {
        assertEquals("b/", Listings.last(List.of(obj("a")), List.of("b/")));
        assertEquals("\uFFFD", Listings.last(List.of(obj("\uFFFD")), List.of("a/")));
        assertTrue(ObjectKeys.compareUtf8("\uD83D\uDE00", "\uFFFD") > 0);
        assertNull(Listings.last(List.of(), List.of()));
    }
}
