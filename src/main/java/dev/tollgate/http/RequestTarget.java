package dev.tollgate.http;

import dev.tollgate.route.Target;
import java.util.Locale;

/**
 * The request-target of a request to a proxy, split into where it goes and what to ask there:
 * {@code http://host:8080/a?b} → target {@code host:8080}, origin-form {@code /a?b}.
 *
 * @param scheme "http" or "https" (in lower case)
 * @param originForm path and query, never empty ("/" at least), fragment dropped
 */
record RequestTarget(String scheme, Target target, String originForm) {

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
            default -> throw new IllegalArgumentException("scheme \"" + scheme + "\" is not supported (http only; use CONNECT for https)");
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
        return new RequestTarget(scheme, target, rest);
    }

    /** The Host header value: the authority, without the scheme's default port. */
    String hostHeader() {
        int defaultPort = scheme.equals("https") ? 443 : 80;
        String host = target.isIpv6Literal() ? "[" + target.host() + "]" : target.host();
        return target.port() == defaultPort ? host : host + ":" + target.port();
    }

    /** The absolute URI as logged and as sent to a parent proxy (no userinfo, no fragment). */
    String absolute() {
        return scheme + "://" + hostHeader() + originForm;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
