package io.multistore.core.internal;

import io.multistore.api.S3ErrorCode;
import io.multistore.api.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the small XML request bodies (CompleteMultipartUpload, Delete) into a tree. The StAX factory is built once,
 * with DTDs and external entities off; a document that declares a DTD anyway is refused. Bodies are size-limited.
 */
final class XmlInput {

    private static final int MAX_DEPTH = 16;

    private final XMLInputFactory factory;
    private final long maxBytes;

    XmlInput(long maxBytes) {
        this.maxBytes = maxBytes;
        // the JDK's own implementation, whatever the thread context class loader can see
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        this.factory = f;
    }

    /** An element: its local name, its text exactly as sent, its child elements. */
    record Element(String name, String text, List<Element> children) {

        Element child(String childName) {
            for (Element e : children) {
                if (e.name.equals(childName)) {
                    return e;
                }
            }
            return null;
        }

        /** A child's text without surrounding white space (numbers, flags, ETags), or {@code null}. */
        String childText(String childName) {
            Element e = child(childName);
            return e == null ? null : e.text.trim();
        }

        /** A child's text byte for byte (object keys: a key may begin or end with spaces), or {@code null}. */
        String childRawText(String childName) {
            Element e = child(childName);
            return e == null ? null : e.text;
        }

        List<Element> all(String childName) {
            List<Element> result = new ArrayList<>();
            for (Element e : children) {
                if (e.name.equals(childName)) {
                    result.add(e);
                }
            }
            return result;
        }
    }

    /**
     * Reads and parses a body.
     *
     * @throws S3Exception {@code MalformedXML} for anything that is not a small well-formed document
     * @throws IOException when reading the body fails
     */
    Element read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new S3Exception(S3ErrorCode.MalformedXML, "The XML you provided is larger than " + maxBytes
                    + " bytes");
        }
        return parse(bytes);
    }

    Element parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
            Deque<Builder> stack = new ArrayDeque<>();
            Element root = null;
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (root != null || stack.size() >= MAX_DEPTH) {
                            throw new S3Exception(S3ErrorCode.MalformedXML);
                        }
                        stack.push(new Builder(reader.getLocalName()));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!stack.isEmpty()) {
                            stack.peek().text.append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Builder b = stack.pop();
                        Element e = new Element(b.name, b.text.toString(), List.copyOf(b.children));
                        if (stack.isEmpty()) {
                            root = e;
                        } else {
                            stack.peek().children.add(e);
                        }
                    }
                    case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE,
                            XMLStreamConstants.ENTITY_DECLARATION ->
                        throw new S3Exception(S3ErrorCode.MalformedXML, "DTDs and entities are not accepted");
                    default -> {
                        // comments, processing instructions, document start/end
                    }
                }
            }
            if (root == null) {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }
            return root;
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof S3Exception s3) {
                throw s3;
            }
            throw new S3Exception(S3ErrorCode.MalformedXML, S3ErrorCode.MalformedXML.defaultMessage(), e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing held beyond the byte array
                }
            }
        }
    }

    private static final class Builder {
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<Element> children = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }
    }
}
