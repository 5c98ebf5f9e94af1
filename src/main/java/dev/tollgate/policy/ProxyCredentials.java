package dev.tollgate.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Basic proxy authentication ({@code Proxy-Authorization: Basic ...}) against an htpasswd file
 * with bcrypt ({@code htpasswd -B}) or {@code {SHA}} ({@code htpasswd -s}) hashes. Immutable apart
 * from its cache, and thread-safe; load a new instance to pick up a changed file, which also
 * forgets every cached success.
 *
 * <p><b>Cost.</b> bcrypt at the usual cost 10 takes 50-100 ms, which must not run on an event
 * loop. Accepted header values are cached (up to {@value AuthCache#DEFAULT_CAPACITY}), so only a
 * credential's first request pays; callers should answer {@link #cached} headers inline and send
 * everything else to a worker pool. Unknown users and failed passwords are never cached, so a
 * guessing client keeps paying, and the pool's size bounds what it can cost the proxy.
 *
 * <p><b>Timing.</b> "Unknown user" and "wrong password" give the same answer and take the same
 * time: an unknown user, or a wrong password for a {@code {SHA}} user, is also checked against a
 * dummy bcrypt hash at the highest cost in the file. That hides which users exist as long as the
 * bcrypt entries share one cost, as {@code htpasswd -B -C n} writes them.
 *
 * <p>Passwords and hashes never appear in results, exceptions or {@code toString}.
 */
public final class ProxyCredentials {
    private static final Result REQUIRED = new Result.Denied("proxy authentication required");
    private static final Result MALFORMED = new Result.Denied("malformed Proxy-Authorization");
    private static final Result WRONG = new Result.Denied("wrong user name or password");
    private static final Result NOT_BASIC =
            new Result.Denied("unsupported Proxy-Authorization scheme; only Basic is accepted");

    private final Map<String, StoredHash> users;
    private final StoredHash dummy;
    private final AuthCache cache = new AuthCache(AuthCache.DEFAULT_CAPACITY);

    private ProxyCredentials(Map<String, StoredHash> users) {
        this.users = Map.copyOf(users);
        this.dummy = dummyFor(users);
    }

    /** Reads an htpasswd file as UTF-8; a bad line is an IllegalArgumentException "FILE:LINE: why". */
    public static ProxyCredentials load(Path htpasswd) throws IOException {
        return parse(htpasswd.toString(), Files.readAllLines(htpasswd, StandardCharsets.UTF_8));
    }

    /** As {@link #load}, for lines already read; {@code fileName} is only used in messages. */
    public static ProxyCredentials parse(String fileName, List<String> lines) {
        return new ProxyCredentials(HtpasswdFile.parse(fileName, lines));
    }

    /** The highest bcrypt cost in the file decides what an unknown user costs; see the class doc. */
    private static StoredHash dummyFor(Map<String, StoredHash> users) {
        int cost = users.values().stream()
                .filter(BcryptHash.class::isInstance)
                .mapToInt(h -> ((BcryptHash) h).cost())
                .max()
                .orElse(0);
        return cost == 0 ? Sha1Hash.dummy() : BcryptHash.dummy(cost);
    }

    /**
     * Decides one request. May run bcrypt unless {@link #cached} is true for the same value.
     *
     * @param proxyAuthorization the raw Proxy-Authorization header value, may be null
     */
    public Result check(String proxyAuthorization) {
        Result quick = quickCheck(proxyAuthorization);
        if (quick != null) {
            return quick;
        }
        String header = proxyAuthorization.strip();
        BasicCredentials credentials = BasicCredentials.decode(basicToken(header));
        if (!verify(credentials)) {
            return WRONG;
        }
        cache.put(header, credentials.user());
        return new Result.Allowed(credentials.user());
    }

    /** True when {@link #check} would answer from the cache, without hashing a password. */
    /**
     * The verdict when it needs no hashing (a credential seen before, or a header that is
     * missing or malformed), else null: the caller then runs {@link #check} off its event loop.
     * One lookup, so an eviction between "is it cached" and "check it" cannot cost a bcrypt.
     */
    public Result quickCheck(String proxyAuthorization) {
        if (proxyAuthorization == null || proxyAuthorization.isBlank()) {
            return REQUIRED;
        }
        String header = proxyAuthorization.strip();
        String known = cache.get(header);
        if (known != null) {
            return new Result.Allowed(known);
        }
        String token = basicToken(header);
        if (token == null) {
            return NOT_BASIC;
        }
        return BasicCredentials.decode(token) == null ? MALFORMED : null;
    }

    public boolean cached(String proxyAuthorization) {
        return proxyAuthorization != null && cache.get(proxyAuthorization.strip()) != null;
    }

    /** The text after the scheme when the scheme is Basic, in any case; "" when it is missing. */
    private static String basicToken(String header) {
        int space = 0;
        while (space < header.length() && header.charAt(space) != ' ' && header.charAt(space) != '\t') {
            space++;
        }
        if (!header.substring(0, space).equalsIgnoreCase("Basic")) {
            return null;
        }
        return header.substring(space).strip();
    }

    private boolean verify(BasicCredentials credentials) {
        StoredHash hash = users.get(credentials.user());
        if (hash == null) {
            dummy.matches(credentials.password());
            return false;
        }
        boolean ok = hash.matches(credentials.password());
        if (!ok && hash.cheap()) {
            dummy.matches(credentials.password());
        }
        return ok;
    }

    /** What unknown users are checked against; for tests. */
    StoredHash dummy() {
        return dummy;
    }

    /** Number of users in the file. */
    public int size() {
        return users.size();
    }

    @Override
    public String toString() {
        return "ProxyCredentials[" + users.size() + " users]";
    }

    /** What {@link #check} decided. The reasons are safe to send back in a 407 body. */
    public sealed interface Result {
        record Allowed(String user) implements Result {}

        record Denied(String reason) implements Result {}
    }
}
