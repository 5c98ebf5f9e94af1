package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hop-by-hop hygiene on requests as the real decoder produces them (EmbeddedChannel). */
class HeaderHygieneTest {

    private static HttpRequest decode(String head) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec());
        ch.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        HttpRequest r = ch.readInbound();
        Object rest;
        while ((rest = ch.readInbound()) != null) {
            if (rest instanceof LastHttpContent c) {
                c.release();
            }
        }
        ch.finishAndReleaseAll();
        return r;
    }

    @Test
    void removesHopByHopAndConnectionNamedHeadersAndAddsVia() {
        HttpRequest r = decode(
                "GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\nConnection: keep-alive, X-Private\r\n"
                        + "X-Private: 1\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic eA==\r\n"
                        + "TE: trailers\r\nTrailer: X-Sum\r\nUpgrade: h2c\r\nAuthorization: Bearer t\r\nVia: 1.0 fred\r\n\r\n");
        boolean upgrade = HeaderHygiene.clean(r, "1.1 tollgate");
        HttpHeaders h = r.headers();
        assertThat(upgrade).isFalse();
        assertThat(h.names()).map(String::toLowerCase).containsExactlyInAnyOrder("host", "authorization", "via");
        assertThat(h.get("Via")).isEqualTo("1.0 fred, 1.1 tollgate");
        assertThat(h.get("Authorization")).isEqualTo("Bearer t"); // end-to-end: the origin's business
    }

    @Test
    void keepsChunkedFramingButNothingElseOfTransferEncoding() {
        HttpRequest r =
                decode("POST http://a.example/ HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        HeaderHygiene.clean(r, "1.1 tollgate");
        assertThat(r.headers().getAll("Transfer-Encoding")).containsExactly("chunked");
        assertThat(r.headers().contains("Content-Length")).isFalse();
    }

    @Test
    void keepsUpgradeWhenTheClientAsksToSwitchProtocols() {
        HttpRequest r = decode("GET http://a.example/ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, Keep-Alive\r\n"
                + "Upgrade: websocket\r\nKeep-Alive: 5\r\nSec-WebSocket-Key: k\r\n\r\n");
        assertThat(HeaderHygiene.clean(r, "1.1 tollgate")).isTrue();
        assertThat(r.headers().get("Upgrade")).isEqualTo("websocket");
        assertThat(r.headers().get("Connection")).isEqualToIgnoringCase("upgrade");
        assertThat(r.headers().contains("Keep-Alive")).isFalse();
        assertThat(r.headers().get("Sec-WebSocket-Key")).isEqualTo("k");
    }

    @Test
    void dropsAnH2cUpgradeOfferWithItsSettings() {
        HttpRequest r = decode("GET http://a.example/ HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
        assertThat(HeaderHygiene.clean(r, "1.1 tollgate")).isFalse();
        assertThat(r.headers().names()).map(String::toLowerCase).containsExactlyInAnyOrder("host", "via");
    }

    @Test
    void dropsHttp2SettingsEvenWhenConnectionDoesNotNameIt() {
        HttpRequest r = decode("GET http://a.example/ HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                + "Upgrade: H2C\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
        assertThat(HeaderHygiene.clean(r, "1.1 tollgate")).isFalse();
        assertThat(r.headers().names()).map(String::toLowerCase).containsExactlyInAnyOrder("host", "via");
    }

    @Test
    void keepsTheOtherProtocolsOfAMultiValuedUpgrade() {
        HttpRequest r = decode("GET http://a.example/ws HTTP/1.1\r\nHost: a\r\nConnection: HTTP2-Settings, Upgrade\r\n"
                + "Upgrade: h2c, websocket\r\nUpgrade: foo/2\r\nHTTP2-Settings: AAMA\r\nSec-WebSocket-Key: k\r\n\r\n");
        assertThat(HeaderHygiene.clean(r, "1.1 tollgate")).isTrue();
        assertThat(r.headers().getAll("Upgrade")).containsExactly("websocket, foo/2");
        assertThat(r.headers().getAll("Connection")).containsExactly("upgrade");
        assertThat(r.headers().contains("HTTP2-Settings")).isFalse();
        assertThat(r.headers().get("Sec-WebSocket-Key")).isEqualTo("k");
    }
}
