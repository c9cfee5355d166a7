package io.multistore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XmlTest {

    @Test
    void escapesMarkupAndControlCharacters() {
        assertEquals("a&amp;b&lt;c&gt;d&quot;e'f", XmlWriter.escape("a&b<c>d\"e'f"));
        assertEquals("&#xD;&#xA;&#x9;&#x1;", XmlWriter.escape("\r\n\t\u0001"));
        assertEquals("€😀", XmlWriter.escape("€😀"));
    }

    @Test
    void writesNestedDocument() {
        XmlWriter x = new XmlWriter().root("R");
        x.start("A").element("K", "v<").element("N", 3).element("Skipped", (String) null).end();
        x.elementOrEmpty("E", null);
        String xml = new String(x.end().toBytes(), StandardCharsets.UTF_8);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<A><K>v&lt;</K><N>3</N></A><E></E></R>", xml);
    }

    @Test
    void unclosedDocumentIsABug() {
        assertThrows(IllegalStateException.class, () -> new XmlWriter().start("A").toBytes());
    }

    @Test
    void errorDocumentHidesServerDetails() {
        String client = new String(S3Gateway.errorDocument(new S3Exception(S3ErrorCode.NoSuchKey, "No <such> key",
                "/b/k&1", null), "/b/k", "0123456789ABCDEF"), StandardCharsets.UTF_8);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                + "<Message>No &lt;such&gt; key</Message><Resource>/b/k&amp;1</Resource>"
                + "<RequestId>0123456789ABCDEF</RequestId></Error>", client);
        String server = new String(S3Gateway.errorDocument(new S3Exception(S3ErrorCode.ServiceUnavailable,
                "host db.internal:5432 refused"), "/b", "0123456789ABCDEF"), StandardCharsets.UTF_8);
        assertTrue(server.contains("<Message>" + S3ErrorCode.ServiceUnavailable.defaultMessage() + "</Message>"),
                server);
        assertTrue(!server.contains("db.internal"), server);
    }

    @Test
    void requestIdsAreSixteenUpperHex() {
        for (int i = 0; i < 100; i++) {
            assertTrue(S3Gateway.requestId().matches("[0-9A-F]{16}"));
        }
    }

    @Test
    void readsDocumentsIgnoringNamespaces() throws Exception {
        XmlInput in = new XmlInput(1000);
        XmlInput.Element e = in.read(new ByteArrayInputStream(("<?xml version=\"1.0\"?><Delete xmlns=\"urn:x\">"
                + "<Object><Key> a&amp;b </Key></Object><Object><Key><![CDATA[<c>]]></Key></Object></Delete>")
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("Delete", e.name());
        assertEquals(2, e.all("Object").size());
        // keys are byte-exact: a key may begin or end with spaces
        assertEquals(" a&b ", e.all("Object").get(0).childRawText("Key"));
        assertEquals("<c>", e.all("Object").get(1).childRawText("Key"));
    }

    @Test
    void refusesHostileOrBrokenXml() {
        XmlInput in = new XmlInput(200);
        for (String doc : new String[] {"", "<a>", "<a></b>", "not xml", "<a/><b/>",
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
            "<!DOCTYPE a SYSTEM \"http://127.0.0.1:1/x.dtd\"><a/>",
            "<a>" + "x".repeat(300) + "</a>",
            "<a>".repeat(20) + "</a>".repeat(20)}) {
            S3Exception e = assertThrows(S3Exception.class,
                    () -> in.read(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8))), doc);
            assertEquals(S3ErrorCode.MalformedXML, e.code(), doc);
        }
    }
}
