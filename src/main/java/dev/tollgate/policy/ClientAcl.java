package dev.tollgate.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which client addresses may use the proxy.
 *
 * <p>The defaults are loopback and the private ranges (RFC 1918, RFC 6598 carrier-grade NAT used
 * by some cluster networks, IPv6 ULA), so a proxy that is accidentally exposed is not an open
 * proxy. An empty list allows nobody. IPv4 clients seen on a dual-stack socket as {@code
 * ::ffff:a.b.c.d} are checked as IPv4.
 */
public final class ClientAcl {
    public static final List<String> DEFAULT_RANGES = List.of(
            "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7");

    private static final ClientAcl DEFAULTS = parse(DEFAULT_RANGES);

    private final List<Cidr> ranges;

    private ClientAcl(List<Cidr> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static ClientAcl defaults() {
        return DEFAULTS;
    }

    public static ClientAcl of(List<Cidr> allowed) {
        return new ClientAcl(allowed);
    }

    /**
     * Throws {@link IndexedPatternException} for the first bad entry. Unlike {@link NoProxyList},
     * blank entries are errors: in an access list a hole is more likely a mistake than a habit.
     */
    public static ClientAcl parse(List<String> cidrs) {
        List<Cidr> ranges = new ArrayList<>(cidrs.size());
        for (int i = 0; i < cidrs.size(); i++) {
            try {
                ranges.add(Cidr.parse(cidrs.get(i)));
            } catch (PatternException e) {
                throw new IndexedPatternException(i, e);
            }
        }
        return new ClientAcl(ranges);
    }

    public boolean allows(InetAddress client) {
        byte[] address = client.getAddress();
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public List<Cidr> ranges() {
        return ranges;
    }

    @Override
    public String toString() {
        return ranges.stream().map(Cidr::toString).collect(Collectors.joining(","));
    }
}
