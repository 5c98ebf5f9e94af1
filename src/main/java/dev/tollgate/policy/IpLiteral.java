package dev.tollgate.policy;

import java.util.Arrays;

/**
 * Recognises IP address literals in text, without ever asking DNS.
 *
 * <p>{@code InetAddress.getByName} would resolve anything that is not a literal, which a proxy
 * deciding on attacker-supplied host names must never do as a side effect; so the text is parsed
 * here by hand.
 *
 * <p>Only the canonical forms are accepted: IPv4 as four decimal parts 0..255 without leading
 * zeros (so {@code 010.0.0.1}, {@code 1.2.3} and {@code 0x7f.0.0.1} are not literals: resolvers
 * disagree on what they mean), IPv6 per RFC 4291 with an optional dotted IPv4 tail and optional
 * surrounding brackets. IPv6 zone ids ({@code fe80::1%eth0}) are not accepted.
 */
public final class IpLiteral {
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1};

    private IpLiteral() {}

    /**
     * The address bytes: 4 for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 literal stays 16 bytes), or
     * null when {@code s} is not an IP literal and so should be treated as a DNS name.
     */
    public static byte[] parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.charAt(0) == '[') {
            return s.length() > 2 && s.charAt(s.length() - 1) == ']'
                    ? Ipv6Text.parse(s.substring(1, s.length() - 1))
                    : null;
        }
        return s.indexOf(':') >= 0 ? Ipv6Text.parse(s) : parseV4(s, 0);
    }

    /**
     * {@code host} as an authority writes it: an IPv6 literal (the only host text with a colon)
     * in brackets, a name or IPv4 literal as it is.
     */
    public static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** {@code host:port}, IPv6 in brackets: for a Host header, a CONNECT line, a log, a message. */
    public static String authority(String host, int port) {
        return bracketed(host) + ":" + port;
    }

    /** Parses dotted-quad IPv4 from {@code from} to the end of {@code s}; null if it is not one. */
    static byte[] parseV4(String s, int from) {
        byte[] out = new byte[4];
        int part = 0;
        int i = from;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < s.length() && i - start < 3 && isDigit(s.charAt(i))) {
                value = value * 10 + (s.charAt(i++) - '0');
            }
            boolean leadingZero = i - start > 1 && s.charAt(start) == '0';
            if (i == start || leadingZero || value > 255) {
                return null;
            }
            out[part++] = (byte) value;
            boolean last = part == 4;
            if (last ? i != s.length() : i >= s.length() || s.charAt(i++) != '.') {
                return null;
            }
        }
        return out;
    }

    /** True for {@code ::ffff:a.b.c.d}, which dual-stack sockets use to carry IPv4 peers. */
    static boolean isMapped(byte[] address) {
        if (address.length != 16) {
            return false;
        }
        for (int i = 0; i < MAPPED_PREFIX.length; i++) {
            if (address[i] != MAPPED_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /** IPv4-mapped addresses as their 4 IPv4 bytes, so both spellings compare equal. */
    static byte[] canonical(byte[] address) {
        return isMapped(address) ? Arrays.copyOfRange(address, 12, 16) : address;
    }

    /** Dotted quad, or RFC 5952 text for IPv6 (lowercase, longest zero run as "::"). */
    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "."
                    + (address[3] & 0xFF);
        }
        return Ipv6Text.format(address);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
