package dev.tollgate.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * {@code {SHA}} and the base64 of an unsalted SHA-1 digest, as {@code htpasswd -s} writes it.
 *
 * <p>Weak against offline guessing, but common in old files, so it is read; digests are compared
 * with {@link MessageDigest#isEqual}, which takes the same time wherever the first difference is.
 */
final class Sha1Hash implements StoredHash {
    private static final int DIGEST_LENGTH = 20;

    private final byte[] digest;

    private Sha1Hash(byte[] digest) {
        this.digest = digest;
    }

    static Sha1Hash parse(String text) {
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(text.substring("{SHA}".length()));
        } catch (IllegalArgumentException e) {
            digest = new byte[0];
        }
        if (digest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("malformed {SHA} hash: expected base64 of a 20-byte SHA-1 digest");
        }
        return new Sha1Hash(digest);
    }

    /** The hash of an unknowable password, for unknown users in files without bcrypt entries. */
    static Sha1Hash dummy() {
        return new Sha1Hash(new byte[DIGEST_LENGTH]);
    }

    @Override
    public boolean matches(String password) {
        return MessageDigest.isEqual(digest, sha1(password));
    }

    private static byte[] sha1(String password) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    @Override
    public boolean cheap() {
        return true;
    }

    @Override
    public String toString() {
        return "{SHA}";
    }
}
