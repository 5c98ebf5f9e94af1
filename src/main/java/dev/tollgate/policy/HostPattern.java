package dev.tollgate.policy;

import java.util.Objects;

/**
 * One entry of the AKS / Kubernetes {@code noProxy} ({@code NO_PROXY}) syntax. Immutable.
 *
 * <p>What an entry matches:
 *
 * <ul>
 *   <li>{@code *} matches every host.
 *   <li>{@code example.com} and {@code .example.com} both match {@code example.com} itself and
 *       every subdomain on a label boundary ({@code a.b.example.com}), never {@code
 *       notexample.com}. Go's {@code httpproxy} treats a leading dot as "subdomains only"; this
 *       project deliberately matches the apex too, as curl does, because users who write {@code
 *       .example.com} nearly always mean the whole domain.
 *   <li>{@code *.example.com} is accepted as {@code .example.com} and {@link #wildcardRewritten()}
 *       says so, so the caller can warn. Any other {@code *} ({@code foo*.com}, {@code *foo.com})
 *       is rejected.
 *   <li>An IPv4 or IPv6 literal ({@code 10.1.2.3}, {@code ::1}, {@code [::1]}) matches that address
 *       only, compared as bytes: {@code ::1} equals {@code 0:0:0:0:0:0:0:1}, and the IPv4-mapped
 *       target {@code ::ffff:10.1.2.3} matches the entry {@code 10.1.2.3}.
 *   <li>A CIDR ({@code 10.0.0.0/8}, {@code fc00::/7}) matches targets that are IP literals in the
 *       block; see {@link Cidr}. Names are never resolved, so a CIDR never matches a DNS name.
 *   <li>A port ({@code example.com:8443}, {@code 10.1.2.3:443}, {@code [::1]:8080}, {@code *:443})
 *       limits the entry to that port; a target with an unknown port (-1) does not match it.
 *       Without a port, any port matches. CIDRs cannot carry a port: {@code 10.0.0.0/8:443} is
 *       rejected rather than silently meaning something else; a bare IPv6 address never has one.
 * </ul>
 *
 * <p>Entries and targets are trimmed, lower-cased, lose one trailing dot, and internationalised
 * names are compared as punycode ({@link java.net.IDN#toASCII}), so {@code bücher.example}
 * matches {@code xn--bcher-kva.example}. Names may contain letters, digits, '-' and '_'.
 *
 * <p>Rejected with a {@link PatternException}: empty labels ({@code a..b}), other characters,
 * labels over 63 or names over 253 characters, a misplaced {@code *}, a bad port (0, over 65535,
 * not digits), a bad CIDR, a URL instead of a host, and names whose last label is all digits
 * (no top-level domain is numeric, so {@code 10.0.0.256} or {@code 010.0.0.1} is a mistyped
 * address, not a name).
 */
public final class HostPattern {
    enum Kind {
        ANY,
        NAME,
        ADDRESS
    }

    private static final String WHAT = "a valid host pattern";

    private final Kind kind;
    private final String name; // NAME: canonical, without the leading dot
    private final Cidr block; // ADDRESS: a CIDR, or a single address as a full-length block
    private final int port;
    private final boolean wildcardRewritten;
    private final String text;
    private final String warning;

    private HostPattern(
            Kind kind, String name, Cidr block, int port, boolean rewritten, String hostText, String warning) {
        this.kind = kind;
        this.name = name;
        this.block = block;
        this.port = port;
        this.wildcardRewritten = rewritten;
        this.text = withPort(hostText, port);
        this.warning = warning;
    }

    /** Parses one entry; throws {@link PatternException} saying why it is not acceptable. */
    public static HostPattern parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        String entry = raw.strip();
        if (entry.isEmpty()) {
            throw new PatternException(raw, WHAT, "empty entry");
        }
        if (entry.contains("://")) {
            // A common slip when copying from HTTP_PROXY; the port error it would get is misleading.
            throw new PatternException(raw, WHAT, "a URL; give the host name only");
        }
        EntryParts parts = EntryParts.split(raw, entry);
        String host = parts.host();
        if (host.equals("*")) {
            return new HostPattern(Kind.ANY, null, null, parts.port(), false, "*", null);
        }
        if (host.indexOf('/') >= 0) {
            return block(raw, host, parts.port());
        }
        byte[] address = IpLiteral.parse(host);
        if (address != null) {
            String literal = IpLiteral.format(IpLiteral.canonical(address));
            return new HostPattern(Kind.ADDRESS, null, Cidr.parse(host), parts.port(), false, literal, null);
        }
        return name(raw, entry, host, parts.port());
    }

    private static HostPattern block(String raw, String host, int port) {
        if (port != EntryParts.ANY_PORT) {
            throw new PatternException(raw, "a CIDR", "a CIDR cannot have a port");
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(host);
        } catch (PatternException e) {
            throw new PatternException(raw, "a CIDR", e.reason()); // keep the user's own text
        }
        String warning = cidr.hostBitsCleared()
                ? quote(raw.strip()) + " accepted as " + quote(cidr.toString()) + " (host bits cleared)"
                : null;
        return new HostPattern(Kind.ADDRESS, null, cidr, port, false, cidr.toString(), warning);
    }

    private static HostPattern name(String raw, String entry, String host, int port) {
        boolean rewritten = host.startsWith("*.");
        boolean dotted = rewritten || host.startsWith(".");
        String bare = host.substring(rewritten ? 2 : dotted ? 1 : 0);
        if (bare.indexOf('*') >= 0) {
            throw new PatternException(raw, WHAT, "'*' is allowed only as the whole entry or as a leading \"*.\"");
        }
        String canonical = HostNames.canonicalEntry(raw, bare);
        String hostText = dotted ? "." + canonical : canonical;
        String warning = rewritten
                ? quote(entry) + " accepted as " + quote(withPort(hostText, port)) + " (matches " + canonical
                        + " and its subdomains)"
                : null;
        return new HostPattern(Kind.NAME, canonical, null, port, rewritten, hostText, warning);
    }

    /**
     * True if the target matches. {@code host} is a DNS name or IP literal (IPv6 with or without
     * brackets), in any case, maybe with a trailing dot; {@code port} is -1 when unknown.
     */
    public boolean matches(String host, int port) {
        if (!portMatches(port)) {
            return false;
        }
        if (kind == Kind.ANY) {
            return true;
        }
        String target = host.strip();
        byte[] address = IpLiteral.parse(target);
        if (kind == Kind.ADDRESS) {
            return address != null && block.contains(address);
        }
        // IP literals match address entries only, never a name entry.
        String canonical = address == null ? HostNames.canonicalTarget(target) : null;
        return canonical != null && HostNames.within(canonical, name);
    }

    public boolean wildcardRewritten() {
        return wildcardRewritten;
    }

    /** The normalized form, e.g. {@code .example.com:443}, {@code 10.0.0.0/8}, {@code [::1]:80}. */
    @Override
    public String toString() {
        return text;
    }

    Kind kind() {
        return kind;
    }

    String name() {
        return name;
    }

    boolean portMatches(int targetPort) {
        return port == EntryParts.ANY_PORT || port == targetPort;
    }

    boolean containsAddress(byte[] address) {
        return block.contains(address);
    }

    /** What the caller should tell the user about how this entry was read, or null. */
    String warning() {
        return warning;
    }

    private static String withPort(String hostText, int port) {
        return port == EntryParts.ANY_PORT ? hostText : IpLiteral.authority(hostText, port);
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }
}
