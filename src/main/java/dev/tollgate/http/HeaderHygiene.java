package dev.tollgate.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Hop-by-hop header removal (RFC 9110 §7.6.1) and the {@code Via} header (§7.6.3): what one
 * connection said about itself never reaches the next one.
 */
final class HeaderHygiene {
    private static final CharSequence[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION,
        HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE,
    };

    /**
     * Never removed because Connection names them: dropping a message's framing or Host would
     * turn its body into a second request on a pooled connection (smuggling by Connection).
     */
    private static final java.util.Set<String> FRAMING = java.util.Set.of("content-length", "transfer-encoding", "host");

    private HeaderHygiene() {}

    /**
     * Strips hop-by-hop headers in place, keeps chunked framing when the body is chunked (the
     * encoder re-chunks it, trailers included), and appends {@code via}.
     *
     * @return true when the message asks to switch protocols ({@code Connection: upgrade}),
     *     in which case {@code Upgrade} and {@code Connection: upgrade} are kept
     */
    static boolean clean(HttpMessage msg, String via) {
        HttpHeaders h = msg.headers();
        boolean upgrade = wantsUpgrade(h);
        CharSequence upgradeValue = upgrade ? h.get(HttpHeaderNames.UPGRADE) : null;
        for (String named : connectionTokens(h)) {
            if (!FRAMING.contains(named.toLowerCase(java.util.Locale.ROOT))) {
                h.remove(named);
            }
        }
        for (CharSequence name : HOP_BY_HOP) {
            h.remove(name);
        }
        boolean chunked = HttpUtil.isTransferEncodingChunked(msg);
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        if (chunked) {
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            h.set(HttpHeaderNames.UPGRADE, upgradeValue);
        }
        String previous = h.get(HttpHeaderNames.VIA);
        h.set(HttpHeaderNames.VIA, previous == null ? via : previous + ", " + via);
        return upgrade;
    }

    private static boolean wantsUpgrade(HttpHeaders h) {
        return h.contains(HttpHeaderNames.UPGRADE)
                && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** The header names listed in Connection (they are hop-by-hop by declaration). */
    private static List<String> connectionTokens(HttpHeaders h) {
        List<String> names = new ArrayList<>();
        for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return names;
    }
}
