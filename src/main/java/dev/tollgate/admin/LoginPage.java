package dev.tollgate.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The login form (beyond loopback) and its POST, which sets the session cookie. */
final class LoginPage implements Endpoint {
    private static final long SESSION_SECONDS = 12 * 3600;

    private final AdminAccess access;

    LoginPage(AdminAccess access) {
        this.access = access;
    }

    static String form(String problem) {
        return "<!doctype html><html lang=en><head><meta charset=utf-8><title>Tollgate admin: log in</title>"
                + "<link rel=stylesheet href=/login.css></head><body><main><h1>Tollgate admin</h1>"
                + (problem == null ? "" : "<p class=problem>" + problem + "</p>")
                + "<p>This admin listener is reachable beyond loopback, so it needs its token: the first line of "
                + "<code>admin.tokenFile</code> (by default <code>admin-token</code> next to the CA; its path is "
                + "printed at startup).</p><form method=post action=/login>"
                + "<label>Token <input type=password name=token autocomplete=current-password autofocus></label>"
                + "<button type=submit>Log in</button></form></main></body></html>";
    }

    @Override
    public void serve(AdminExchange x) {
        if (!SameOrigin.allows(x.request())) {
            x.text(403, "login refused: the form was posted from another origin\n");
            return;
        }
        String body = x.request().content().toString(StandardCharsets.UTF_8);
        List<String> tokens = new QueryStringDecoder(body, false).parameters().get("token");
        String session = tokens == null || tokens.isEmpty() ? null : access.login(tokens.get(0));
        if (session == null) {
            x.html(401, form("That is not the admin token."));
            return;
        }
        DefaultCookie c = new DefaultCookie(AdminAccess.COOKIE, session);
        c.setHttpOnly(true);
        c.setPath("/");
        c.setMaxAge(SESSION_SECONDS);
        c.setSameSite(CookieHeaderNames.SameSite.Strict);
        x.redirect("/", ServerCookieEncoder.STRICT.encode(c));
    }
}
