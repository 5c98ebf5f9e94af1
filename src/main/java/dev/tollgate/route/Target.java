package dev.tollgate.route;

import dev.tollgate.policy.IpLiteral;
import java.util.Locale;

/**
 * Where a client wants to go: a host (DNS name or IP literal, lower-case, IPv6 without
 * brackets, no trailing dot) and a port, read from the request line or Host header, which an
 * attacker writes, so it is validated and normalised here. Routing, the egress policy and the
 * flow see the target; a parent proxy from the config is one too.
 *
 * <p>Not to be confused with {@code upstream.Endpoint}, the address a connection is actually
 * opened to (the target, or the parent proxy in the way), which the upstream layer holds because
 * it sits below routing; nor with {@code config.HostPort}, an address the proxy listens on.
 */
public record Target(String host, int port) {

    public Target {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    /**
     * Parses {@code host[:port]}, {@code [v6][:port]}: the authority of an absolute URI or
     * of a CONNECT request line.
     *
     * @throws IllegalArgumentException with a reason fit for a 400 body
     */
    public static Target parseAuthority(String authority, int defaultPort) {
        String a = authority.trim();
        int at = a.lastIndexOf('@');
        if (at >= 0) {
            a = a.substring(at + 1); // userinfo never selects the target, nor reaches a message
            authority = a;
        }
        String host;
        String portText = null;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in \"" + authority + "\"");
            }
            host = a.substring(1, close);
            String rest = a.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("garbage after ']' in \"" + authority + "\"");
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = a.lastIndexOf(':');
            if (colon >= 0 && a.indexOf(':') != colon) {
                throw new IllegalArgumentException("IPv6 address must be in brackets: \"" + authority + "\"");
            }
            host = colon < 0 ? a : a.substring(0, colon);
            portText = colon < 0 ? null : a.substring(colon + 1);
        }
        return new Target(normalizeHost(host, authority), parsePort(portText, defaultPort, authority));
    }

    private static String normalizeHost(String host, String authority) {
        String h = host.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty()) {
            throw new IllegalArgumentException("no host in \"" + authority + "\"");
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '%';
            if (!ok) {
                throw new IllegalArgumentException("invalid character '" + c + "' in host \"" + host + "\"");
            }
        }
        return h;
    }

    private static int parsePort(String text, int defaultPort, String authority) {
        if (text == null || text.isEmpty()) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException("no port in \"" + authority + "\"");
            }
            return defaultPort;
        }
        if (text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("invalid port \"" + text + "\"");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        return port;
    }

    /** {@code host:port}, IPv6 in brackets: fit for a Host header, a CONNECT line, a log. */
    public String authority() {
        return IpLiteral.authority(host, port);
    }

    @Override
    public String toString() {
        return authority();
    }
}
