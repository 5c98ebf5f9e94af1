package dev.tollgate.config;

/** A listen address: host (may be {@code 0.0.0.0} or {@code ::}) and port (0 = ephemeral). */
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
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
