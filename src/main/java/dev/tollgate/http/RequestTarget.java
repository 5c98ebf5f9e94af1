package dev.tollgate.http;

import dev.tollgate.policy.IpLiteral;
import dev.tollgate.route.Target;
import java.util.Locale;

/**
 * The request-target of a request to a proxy, split into where it goes and what to ask there:
 * {@code http://host:8080/a?b} → target {@code host:8080}, origin-form {@code /a?b}.
 *
 * @param scheme "http" or "https" (in lower case)
 * @param target where the connection goes
 * @param originForm path and query, never empty ("/" at least), fragment dropped
 * @param host the Host header to send (and the authority logged)
 * @param serverName the TLS server name upstream (SNI, verified), null for plain HTTP
 */
record RequestTarget(String scheme, Target target, String originForm, String host, String serverName) {

    /** @throws IllegalArgumentException with a reason fit for a 400 body */
    static RequestTarget parseAbsolute(String uri) {
        int sep = uri.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("request target \"" + abbreviate(uri)
                    + "\" is not an absolute URI (a proxy needs http://host/path)");
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default ->
                throw new IllegalArgumentException(
                        "scheme \"" + scheme + "\" is not supported (http only; use CONNECT for https)");
        };
        int authorityStart = sep + 3;
        int end = authorityStart;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        Target target = Target.parseAuthority(uri.substring(authorityStart, end), defaultPort);
        String rest = uri.substring(end);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        if (rest.isEmpty() || rest.charAt(0) == '?') {
            rest = "/" + rest;
        }
        return new RequestTarget(
                scheme, target, rest, hostHeader(scheme, target), scheme.equals("https") ? target.host() : null);
    }

    /**
     * A request inside an intercepted CONNECT: it goes to the CONNECT target, and its own Host
     * header (end-to-end, inside the client's TLS) is kept, since the client may have
     * connected to an address and asked for a name in its ClientHello.
     */
    static RequestTarget inside(InterceptSession session, String originForm, String hostHeader) {
        Target t = session.target();
        String scheme = session.serverName() != null ? "https" : "http";
        String host = hostHeader != null && !hostHeader.isBlank() ? hostHeader.trim() : hostHeader(scheme, t);
        return new RequestTarget(scheme, t, originForm, host, session.serverName());
    }

    /** The authority without the scheme's default port, as a Host header has it. */
    private static String hostHeader(String scheme, Target target) {
        int defaultPort = scheme.equals("https") ? 443 : 80;
        String host = IpLiteral.bracketed(target.host());
        return target.port() == defaultPort ? host : host + ":" + target.port();
    }

    /** The absolute URI as logged and as sent to a parent proxy (no userinfo, no fragment). */
    String absolute() {
        return scheme + "://" + host + originForm;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
