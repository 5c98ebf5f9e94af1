package dev.tollgate.flow.store;

import dev.tollgate.flow.FlowRecord;
import java.util.Locale;

/**
 * Where a flow went, read back from its URL: {@code scheme://host[:port]/path} for exchanges,
 * {@code host:port} for a CONNECT (tunnels, bypasses, refused CONNECTs).
 *
 * @param scheme http, https, or null for a CONNECT authority
 */
public record FlowTarget(String scheme, String host, int port) {

    /** Null when the flow has no URL (refused before its request line was read). */
    public static FlowTarget of(FlowRecord f) {
        String url = f.url();
        if (url == null || url.isEmpty()) {
            return null;
        }
        String scheme = null;
        String rest = url;
        int sep = url.indexOf("://");
        if (sep > 0) {
            scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
            rest = url.substring(sep + 3);
        }
        int end = indexOfAny(rest, "/?#");
        String authority = end < 0 ? rest : rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        return split(scheme, authority);
    }

    private static FlowTarget split(String scheme, String authority) {
        String host = authority;
        int port = -1;
        int colon = authority.lastIndexOf(':');
        int bracket = authority.lastIndexOf(']');
        if (colon > bracket) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (port < 0) {
            port = "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : 443;
        }
        return host.isEmpty() ? null : new FlowTarget(scheme, host.toLowerCase(Locale.ROOT), port);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code host:port}, IPv6 in brackets: the noProxy/egress entry syntax. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
