package dev.tollgate.policy;

import java.util.Locale;

/**
 * A password hash from one htpasswd line, in one of the formats {@code htpasswd} writes and this
 * proxy can check safely: bcrypt ({@code -B}) and salt-less SHA-1 ({@code -s}).
 *
 * <p>MD5 ({@code $apr1$}), crypt and plain text are refused at load time rather than at the first
 * request, so a bad file fails the start-up instead of locking users out later. Implementations
 * never show the hash in {@code toString}: an htpasswd hash is a password in waiting.
 */
sealed interface StoredHash permits BcryptHash, Sha1Hash {
    String SUPPORTED = "supported are bcrypt ($2y$, $2a$, $2b$; htpasswd -B) and SHA-1 ({SHA}; htpasswd -s)";

    /** True when {@code password} hashes to this value. */
    boolean matches(String password);

    /** True when checking costs next to nothing, unlike bcrypt. */
    boolean cheap();

    /** Reads the hash part of a line; IllegalArgumentException says why it cannot be used. */
    static StoredHash parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty password hash");
        }
        if (text.startsWith("{SHA}")) {
            return Sha1Hash.parse(text);
        }
        if (BcryptHash.looksLikeBcrypt(text)) {
            return BcryptHash.parse(text);
        }
        throw new IllegalArgumentException("unsupported password hash " + describe(text) + "; " + SUPPORTED);
    }

    /** Names an unsupported format without echoing the hash, which may be a plain-text password. */
    private static String describe(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("$apr1$")) {
            return "MD5 ($apr1$, htpasswd -m)";
        }
        if (lower.startsWith("$1$") || lower.startsWith("$5$") || lower.startsWith("$6$")) {
            return "crypt " + text.substring(0, 3);
        }
        if (lower.startsWith("$2")) {
            return "bcrypt of an unknown version";
        }
        if (text.startsWith("{")) {
            return "of an unknown {scheme}";
        }
        return "(crypt or plain text, htpasswd -d or -p)";
    }
}
