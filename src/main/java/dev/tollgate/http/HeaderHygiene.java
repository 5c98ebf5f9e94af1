package dev.tollgate.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hop-by-hop header removal (RFC 9110 §7.6.1) and the {@code Via} header (§7.6.3): what one
 * connection said about itself never reaches the next one.
 */
final class HeaderHygiene {
    /** Netty deprecates its constants for these two (not in current RFCs), but clients still send them. */
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");

    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private static final CharSequence[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION,
        KEEP_ALIVE,
        PROXY_CONNECTION,
        HttpHeaderNames.PROXY_AUTHORIZATION,
        HttpHeaderNames.PROXY_AUTHENTICATE,
        HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER,
        HttpHeaderNames.UPGRADE,
    };

    /**
     * Never removed because Connection names them: dropping a message's framing or Host would
     * turn its body into a second request on a pooled connection (smuggling by Connection).
     */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "host");

    /** The settings of an h2c upgrade offer (RFC 7540 §3.2.1), meaningless without the upgrade. */
    private static final AsciiString HTTP2_SETTINGS = AsciiString.cached("http2-settings");

    /**
     * HTTP/2 over cleartext: past the 101 the relay would carry HTTP/2 frames it neither parses nor
     * logs (the proxy speaks h2 only where TLS negotiated it, see {@code http2}). RFC 9113 §3.1 has
     * retired the upgrade anyway; WebSocket and the rest switch as before.
     */
    private static final String H2C = "h2c";

    private HeaderHygiene() {}

    /**
     * Strips hop-by-hop headers in place, keeps chunked framing when the body is chunked (the
     * encoder re-chunks it, trailers included), and appends {@code via}.
     *
     * @return true when the message asks to switch to a protocol the proxy can relay
     *     ({@code Connection: upgrade}, not h2c), in which case {@code Upgrade} without h2c and
     *     {@code Connection: upgrade} are kept
     */
    static boolean clean(HttpMessage msg, String via) {
        HttpHeaders h = msg.headers();
        String upgradeValue = wantsUpgrade(h) ? relayableUpgrades(h) : null;
        boolean upgrade = upgradeValue != null;
        for (String named : connectionTokens(h)) {
            if (!FRAMING.contains(named.toLowerCase(Locale.ROOT))) {
                h.remove(named);
            }
        }
        for (CharSequence name : HOP_BY_HOP) {
            h.remove(name);
        }
        h.remove(HTTP2_SETTINGS);
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

    /** The protocols offered in Upgrade, h2c left out; null when none is left. */
    private static String relayableUpgrades(HttpHeaders h) {
        List<String> kept = new ArrayList<>();
        for (String protocol : tokens(h, HttpHeaderNames.UPGRADE)) {
            int slash = protocol.indexOf('/');
            String name = slash < 0 ? protocol : protocol.substring(0, slash);
            if (!name.trim().equalsIgnoreCase(H2C)) {
                kept.add(protocol);
            }
        }
        return kept.isEmpty() ? null : String.join(", ", kept);
    }

    /** The header names listed in Connection (they are hop-by-hop by declaration). */
    private static List<String> connectionTokens(HttpHeaders h) {
        return tokens(h, HttpHeaderNames.CONNECTION);
    }

    /** The comma-separated elements of every value of one header, trimmed, empty ones dropped. */
    private static List<String> tokens(HttpHeaders h, CharSequence name) {
        List<String> out = new ArrayList<>();
        for (String value : h.getAll(name)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}
