package io.multistore.api.backend;

import java.util.Comparator;

/** Object-key helpers every backend needs alike. */
public final class ObjectKeys {

    /**
     * S3 listing order: UTF-8 byte order, which is Unicode code point order. It differs from
     * {@link String#compareTo} where a surrogate pair (a code point above U+FFFF) meets a character in
     * U+E000..U+FFFF.
     */
    public static final Comparator<String> UTF8_ORDER = ObjectKeys::compareUtf8;

    private ObjectKeys() {
    }

    /** Compares two keys in S3 listing order, without encoding them. */
    public static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
