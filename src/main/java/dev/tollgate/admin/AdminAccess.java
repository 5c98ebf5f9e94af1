package dev.tollgate.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may use the admin listener. Bound to loopback it is open to local users, but only under a
 * loopback {@code Host} (a page elsewhere cannot reach it through DNS rebinding). Bound to any
 * other address, every request but the health checks needs the token: as a bearer header, or
 * as the session cookie the login form sets, which carries a MAC of the token, never the token.
 */
public final class AdminAccess {
    public static final String COOKIE = "tollgate_admin";
    private static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz", "/login", "/login.css");

    private final String token;
    private final String session;

    private AdminAccess(String token) {
        this.token = token;
        this.session = token == null ? null : mac(token);
    }

    /** Loopback only: no token, but a loopback Host header. */
    public static AdminAccess loopback() {
        return new AdminAccess(null);
    }

    public static AdminAccess withToken(String token) {
        return new AdminAccess(token);
    }

    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public boolean needsToken() {
        return token != null;
    }

    /** What is wrong with this request, or null when it may proceed. */
    public Refusal check(HttpRequest request, String path) {
        if (token == null) {
            return loopbackHost(request.headers().get(HttpHeaderNames.HOST))
                    ? null
                    : new Refusal(
                            403,
                            "the admin listener answers only to a loopback Host " + "(localhost, 127.0.0.1, [::1])");
        }
        if (OPEN_PATHS.contains(path) || authorized(request)) {
            return null;
        }
        return new Refusal(401, "the admin listener needs its token (Authorization: Bearer TOKEN, or log in)");
    }

    /** The cookie value the login form sets when {@code offered} is the token, else null. */
    public String login(String offered) {
        return token != null && same(offered, token) ? session : null;
    }

    private boolean authorized(HttpRequest request) {
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null
                && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                && same(auth.substring(7).strip(), token)) {
            return true;
        }
        String cookies = request.headers().get(HttpHeaderNames.COOKIE);
        if (cookies != null) {
            for (Cookie c : ServerCookieDecoder.STRICT.decode(cookies)) {
                if (c.name().equals(COOKIE) && same(c.value(), session)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String mac(String token) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(m.doFinal("tollgate admin session".getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** @param status 401 (no or wrong token) or 403 (a Host that is not loopback) */
    public record Refusal(int status, String reason) {}
}
