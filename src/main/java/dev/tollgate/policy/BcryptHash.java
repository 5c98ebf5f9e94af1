package dev.tollgate.policy;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A bcrypt hash as {@code htpasswd -B} writes it: {@code $2y$NN$} and 53 characters of salt and
 * digest. {@code $2a$} and {@code $2b$} are the same algorithm from other tools and are accepted.
 *
 * <p>The format is checked by hand at load time, because Bouncy Castle only complains when a
 * password is checked, and a request is the wrong moment to find out the file is broken.
 */
final class BcryptHash implements StoredHash {
    private static final Pattern FORMAT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    /** Fixed so a dummy hash is the same on every start; it only has to cost the same. */
    private static final byte[] DUMMY_SALT = "tollgate-dummy!!".getBytes(StandardCharsets.US_ASCII);

    private final String hash;
    private final int cost;

    private BcryptHash(String hash, int cost) {
        this.hash = hash;
        this.cost = cost;
    }

    static boolean looksLikeBcrypt(String text) {
        return text.startsWith("$2a$") || text.startsWith("$2b$") || text.startsWith("$2y$");
    }

    static BcryptHash parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed bcrypt hash: expected $2y$NN$ followed by 53 characters");
        }
        int cost = Integer.parseInt(m.group(1));
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be 04..31");
        }
        return new BcryptHash(text, cost);
    }

    /**
     * A hash no password is expected to match, checked for unknown users so that "no such user"
     * takes as long as "wrong password" and a timing probe cannot list the users.
     */
    static BcryptHash dummy(int cost) {
        char[] secret = "no user has this password".toCharArray();
        return new BcryptHash(OpenBSDBCrypt.generate("2y", secret, DUMMY_SALT, cost), cost);
    }

    int cost() {
        return cost;
    }

    @Override
    public boolean matches(String password) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            return false; // FORMAT should rule this out; a login failure beats a 500
        }
    }

    @Override
    public boolean cheap() {
        return false;
    }

    @Override
    public String toString() {
        return "bcrypt (cost " + cost + ")";
    }
}
