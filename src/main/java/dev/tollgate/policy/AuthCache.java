package dev.tollgate.policy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers which Proxy-Authorization values were accepted, so bcrypt (tens of milliseconds per
 * check) runs once per credential rather than once per request.
 *
 * <p>Least recently used entries go first once the cache is full. Only successes are stored, so
 * guessing fills nothing. Keys are an HMAC-SHA-256 of the header under a random per-instance key,
 * not the header itself: the header is only base64 of the password, and a plain SHA-256 would be
 * a fast unsalted hash of it for anyone holding a heap dump.
 */
final class AuthCache {
    static final int DEFAULT_CAPACITY = 1024;

    private final Map<String, String> users;
    private final Mac mac;

    AuthCache(int capacity) {
        this.users = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /** The user a previous check accepted this header for, or null. */
    synchronized String get(String header) {
        return users.get(key(header));
    }

    synchronized void put(String header, String user) {
        users.put(key(header), user);
    }

    synchronized int size() {
        return users.size();
    }

    /** Callers hold the lock: {@link Mac} is not thread-safe. */
    private String key(String header) {
        return HexFormat.of().formatHex(mac.doFinal(header.getBytes(StandardCharsets.UTF_8)));
    }
}
