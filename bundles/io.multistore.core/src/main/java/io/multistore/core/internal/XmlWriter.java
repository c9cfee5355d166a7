package io.multistore.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A forward-only writer for S3's response documents. Responses are bounded (at most 1000 entries of at most 1024
 * byte keys), so the document is built in memory and sent with a Content-Length.
 */
final class XmlWriter {

    static final String S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder out = new StringBuilder(512);
    private final Deque<String> open = new ArrayDeque<>();

    XmlWriter() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /** Opens the root element in S3's namespace. */
    XmlWriter root(String name) {
        out.append('<').append(name).append(" xmlns=\"").append(S3_NS).append("\">");
        open.push(name);
        return this;
    }

    XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    /** Opens an element with attributes, written as given (name, value, name, value, ...; values escaped). */
    XmlWriter start(String name, String... attributes) {
        out.append('<').append(name);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"");
            escape(attributes[i + 1], out);
            out.append('"');
        }
        out.append('>');
        open.push(name);
        return this;
    }

    XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** Text inside the current element. */
    XmlWriter text(String text) {
        escape(text, out);
        return this;
    }

    /** An element with text content; {@code null} text writes nothing at all. */
    XmlWriter element(String name, String text) {
        if (text != null) {
            out.append('<').append(name).append('>');
            escape(text, out);
            out.append("</").append(name).append('>');
        }
        return this;
    }

    XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    /** An element that is always present, empty when there is no value. */
    XmlWriter elementOrEmpty(String name, String text) {
        return element(name, text == null ? "" : text);
    }

    byte[] toBytes() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed element " + open.peek());
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * Escapes markup characters, and writes control characters (legal in S3 keys) as character references so a
     * parser keeps them exactly ({@code \r} would otherwise be normalised to {@code \n}).
     */
    static void escape(CharSequence text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append("&#x").append(Integer.toHexString(c).toUpperCase()).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    static String escape(CharSequence text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        escape(text, b);
        return b.toString();
    }
}
