package io.multistore.lib.dataplane;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The code and message of a store's XML error document ({@code <Error><Code>…</Code><Message>…</Message></Error>}:
 * S3, Azure Blob Storage and the GCS XML API all answer this way). Only the first {@value #LIMIT} bytes are read.
 *
 * @param code    the store's error code, or {@code null} (HEAD answers have no body)
 * @param message the store's message, or {@code null}
 */
public record ErrorBody(String code, String message) {

    static final int LIMIT = 64 * 1024;

    /** Reads (at most {@value #LIMIT} bytes of) the answer's body and closes it. */
    public static ErrorBody read(BackendResponse response) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(LIMIT);
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new ErrorBody(null, null);
        }
    }

    /** The first {@code Code} and {@code Message} elements of an error document. */
    public static ErrorBody parse(String xml) {
        return new ErrorBody(element(xml, "Code"), element(xml, "Message"));
    }

    private static String element(String xml, String name) {
        String open = "<" + name + ">";
        int start = xml.indexOf(open);
        if (start < 0) {
            return null;
        }
        start += open.length();
        int end = xml.indexOf("</" + name + ">", start);
        return end < 0 ? null : unescape(xml.substring(start, end).strip());
    }

    private static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
