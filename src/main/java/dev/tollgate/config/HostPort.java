package dev.tollgate.config;

import dev.tollgate.policy.IpLiteral;

/**
 * A listen address from the config: a host to bind (may be the wildcard {@code 0.0.0.0} or
 * {@code ::}, IPv6 without brackets) and a port (0 = ephemeral). Unlike a {@code route.Target}
 * (where a client wants to go, port 1..65535) or an {@code upstream.Endpoint} (where the proxy
 * connects to), it is never dialled, and a bad one is a {@link ConfigException} naming the key.
 */
public record HostPort(String host, int port) {

    static HostPort parse(String key, String text) throws ConfigException {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw ConfigException.bad(key, text, "is not HOST:PORT (for example 0.0.0.0:8080)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw ConfigException.bad(key, text, "has an IPv6 host without brackets (write [::]:8080)");
        }
        try {
            int port = Integer.parseInt(t.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw ConfigException.bad(key, text, "has a port outside 0..65535");
            }
            return new HostPort(host, port);
        } catch (NumberFormatException e) {
            throw ConfigException.bad(key, text, "has a port that is not a number");
        }
    }

    @Override
    public String toString() {
        return IpLiteral.authority(host, port);
    }
}
