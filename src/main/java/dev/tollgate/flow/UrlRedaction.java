package dev.tollgate.flow;

import java.util.Locale;
import java.util.Set;

/**
 * Hides the values of query parameters that carry credentials (Azure SAS signatures, OAuth
 * codes and tokens, API keys) before a URL is logged: a flow log is read by more people than
 * the secrets were meant for.
 */
public final class UrlRedaction {
    private static final Set<String> SECRET_PARAMS = Set.of(
            "sig",
            "signature",
            "token",
            "access_token",
            "id_token",
            "refresh_token",
            "code",
            "client_secret",
            "password",
            "passwd",
            "pwd",
            "secret",
            "api_key",
            "apikey",
            "key",
            "x-amz-signature",
            "x-amz-credential",
            "x-amz-security-token",
            "x-goog-signature",
            "auth",
            "authorization");
    static final String MASK = "REDACTED";

    private UrlRedaction() {}

    /** {@code scheme://user:pass@host/…} and {@code user:pass@host:port} lose the {@code user:pass@}. */
    static String withoutUserinfo(String url) {
        int start = url.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        return at < start ? url : url.substring(0, start) + url.substring(at + 1);
    }

    public static String redact(String raw) {
        String url = withoutUserinfo(raw);
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder out = new StringBuilder(url.length()).append(url, 0, q + 1);
        String[] params = url.substring(q + 1).split("&", -1);
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            String p = params[i];
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            if (eq >= 0 && SECRET_PARAMS.contains(name.toLowerCase(Locale.ROOT))) {
                out.append(name).append('=').append(MASK);
            } else {
                out.append(p);
            }
        }
        return out.toString();
    }
}
