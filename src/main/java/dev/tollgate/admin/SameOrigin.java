package dev.tollgate.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A request sent by a page of another origin (its {@code Origin} header names another site) is
 * refused: the event stream and the login must not serve a page the operator did not open.
 * Browsers always send {@code Origin} on these requests; command-line clients send none.
 */
final class SameOrigin {
    private SameOrigin() {}

    static boolean allows(HttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        return host != null && origin.equalsIgnoreCase("http://" + host);
    }
}
