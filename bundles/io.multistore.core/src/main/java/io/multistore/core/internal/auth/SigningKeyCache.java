package io.multistore.core.internal.auth;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Derived SigV4 signing keys per (secret, date, region, service). A key is valid for one day, so a repeat caller
 * costs one map look-up instead of four HMACs. Bounded LRU: the working set is the active callers of a day.
 */
final class SigningKeyCache {

    private record Entry(String secret, String date, String region, String service) {
        @Override
        public String toString() {
            return "Entry[" + date + "/" + region + "/" + service + "]";
        }
    }

    private final Map<Entry, byte[]> keys;

    SigningKeyCache(int maxEntries) {
        this.keys = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Entry, byte[]> eldest) {
                return size() > maxEntries;
            }
        };
    }

    byte[] signingKey(String secret, String date, String region, String service) {
        Entry entry = new Entry(secret, date, region, service);
        synchronized (keys) {
            byte[] key = keys.get(entry);
            if (key != null) {
                return key;
            }
        }
        byte[] key = derive(secret, date, region, service);
        synchronized (keys) {
            keys.put(entry, key);
        }
        return key;
    }

    static byte[] derive(String secret, String date, String region, String service) {
        byte[] kDate = Crypto.hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = Crypto.hmac(kDate, region);
        byte[] kService = Crypto.hmac(kRegion, service);
        return Crypto.hmac(kService, "aws4_request");
    }

    int size() {
        synchronized (keys) {
            return keys.size();
        }
    }
}
