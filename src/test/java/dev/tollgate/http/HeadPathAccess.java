package dev.tollgate.http;

import dev.tollgate.route.Target;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/** Test access to the package-private request-head steps, for the fuzzers in dev.tollgate.fuzz. */
public final class HeadPathAccess {
    private HeadPathAccess() {}

    /** What the front end would make of a decoded head: a target, a refusal reason, or "local". */
    public static String outcome(HttpRequest r) {
        RequestChecks.Refusal refusal = RequestChecks.check(r, 100);
        if (refusal != null) {
            return refusal.status() + " " + refusal.reason();
        }
        try {
            if (r.method().equals(HttpMethod.CONNECT)) {
                return Target.parseAuthority(r.uri(), -1).authority();
            }
            if (r.uri().startsWith("/")) {
                return "local";
            }
            return RequestTarget.parseAbsolute(r.uri()).absolute();
        } catch (IllegalArgumentException e) {
            return "400 " + e.getMessage();
        }
    }
}
