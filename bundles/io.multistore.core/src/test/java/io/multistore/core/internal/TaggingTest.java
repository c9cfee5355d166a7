package io.multistore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaggingTest {

    private final XmlInput xml = new XmlInput(64 * 1024);

    @Test
    void headerIsUrlQueryForm() {
        assertEquals(List.of("a b", "k=2", "empty"), List.copyOf(Tagging.parseHeader("a+b=1&k%3D2=x%2By&empty")
                .keySet()));
        assertEquals(Map.of("a b", "1", "k=2", "x+y", "empty", ""), Tagging.parseHeader("a+b=1&k%3D2=x%2By&empty"));
        assertEquals(Map.of("\u00e9t\u00e9", "caf\u00e9 _.:/=+-@"), Tagging.parseHeader(
                "%C3%A9t%C3%A9=caf%C3%A9%20_.%3A%2F%3D%2B-%40"));
        assertEquals(Map.of(), Tagging.parseHeader(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=1&a=2", "=v", "k=1&k2=2&k3=3&k4=4&k5=5&k6=6&k7=7&k8=8&k9=9&k10=10&k11=11",
        "k=x%26y", "k%3F=v", "k=%3Cscript%3E"})
    void badHeadersAreInvalidTag(String header) {
        assertEquals(S3ErrorCode.InvalidTag, assertThrows(S3Exception.class, () -> Tagging.parseHeader(header))
                .code());
    }

    @Test
    void limitsAreThoseOfS3() {
        assertEquals(1, Tagging.parseHeader("k".repeat(128) + "=" + "v".repeat(256)).size());
        assertEquals(S3ErrorCode.InvalidTag, assertThrows(S3Exception.class,
                () -> Tagging.parseHeader("k".repeat(129) + "=v")).code());
        assertEquals(S3ErrorCode.InvalidTag, assertThrows(S3Exception.class,
                () -> Tagging.parseHeader("k=" + "v".repeat(257))).code());
        assertEquals(S3ErrorCode.InvalidArgument, assertThrows(S3Exception.class,
                () -> Tagging.parseHeader("k=%zz")).code());
    }

    @Test
    void documents() {
        assertEquals(Map.of("a", " spaced ", "b", ""), Tagging.parseDocument(parse(
                "<Tagging><TagSet><Tag><Key>a</Key><Value> spaced </Value></Tag>"
                        + "<Tag><Key>b</Key><Value></Value></Tag></TagSet></Tagging>")));
        assertEquals(Map.of(), Tagging.parseDocument(parse("<Tagging><TagSet/></Tagging>")));
        for (String bad : List.of("<Tagging/>", "<Other><TagSet/></Other>",
                "<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>")) {
            assertEquals(S3ErrorCode.MalformedXML, assertThrows(S3Exception.class,
                    () -> Tagging.parseDocument(parse(bad))).code(), bad);
        }
        assertEquals(S3ErrorCode.InvalidTag, assertThrows(S3Exception.class, () -> Tagging.parseDocument(parse(
                "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag>"
                        + "</TagSet></Tagging>"))).code());
    }

    private XmlInput.Element parse(String s) {
        return xml.parse(s.getBytes(StandardCharsets.UTF_8));
    }
}
