package dev.tollgate.policy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address block, e.g. {@code 10.0.0.0/8} or {@code fc00::/7}.
 *
 * <ul>
 *   <li>A bare address is a block of one: {@code 10.1.2.3} is {@code 10.1.2.3/32}, {@code ::1} is
 *       {@code ::1/128}.
 *   <li>Host bits are accepted and cleared, as Go's {@code net.ParseCIDR} does: {@code 10.1.2.3/8}
 *       is {@code 10.0.0.0/8}. {@link NoProxyList} reports it as a warning since it is often a
 *       typo for {@code /32}.
 *   <li>IPv4-mapped IPv6 addresses are IPv4: {@code ::ffff:10.1.2.3} is inside {@code 10.0.0.0/8},
 *       and a block written as {@code ::ffff:10.0.0.0/104} is stored as {@code 10.0.0.0/8}.
 *       Otherwise the families never mix: {@code ::/0} does not contain {@code 10.1.2.3}.
 * </ul>
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final boolean hostBitsCleared;

    private Cidr(byte[] address, int prefix) {
        this.prefix = prefix;
        this.network = address.clone();
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        this.hostBitsCleared = !Arrays.equals(network, address);
    }

    /** Parses {@code address/prefix} or a bare address; no DNS lookup is ever made. */
    public static Cidr parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        String text = raw.strip();
        int slash = text.indexOf('/');
        byte[] address = IpLiteral.parse(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new PatternException(raw, "a CIDR", "not an IP address");
        }
        int max = address.length * 8;
        int prefix = slash < 0 ? max : prefix(text.substring(slash + 1), max);
        if (prefix < 0) {
            throw new PatternException(raw, "a CIDR", "prefix length must be 0.." + max);
        }
        if (IpLiteral.isMapped(address) && prefix >= 96) {
            return new Cidr(IpLiteral.canonical(address), prefix - 96);
        }
        return new Cidr(address, prefix);
    }

    /** The prefix length, or -1 when the text is not a number in 0..max. */
    private static int prefix(String text, int max) {
        if (text.isEmpty() || text.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            if (!IpLiteral.isDigit(text.charAt(i))) {
                return -1;
            }
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value <= max ? value : -1;
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** {@code address} is 4 or 16 raw bytes, as from {@link InetAddress#getAddress()}. */
    public boolean contains(byte[] address) {
        int offset = IpLiteral.isMapped(address) ? 12 : 0;
        if (address.length - offset != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (address[offset + i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        int mask = (0xFF00 >>> rest) & 0xFF;
        return rest == 0 || (address[offset + whole] & mask) == (network[whole] & 0xFF);
    }

    /** True when the block was written with host bits set, e.g. {@code 10.1.2.3/8}. */
    boolean hostBitsCleared() {
        return hostBitsCleared;
    }

    /** The network address text, without the prefix. */
    String addressText() {
        return IpLiteral.format(network);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return addressText() + "/" + prefix;
    }
}
