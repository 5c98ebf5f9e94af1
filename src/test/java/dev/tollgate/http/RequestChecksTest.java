package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks after decoding, on requests as the real decoder produces them (EmbeddedChannel). */
class RequestChecksTest {

    private static HttpRequest decode(String head) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec());
        ch.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        HttpRequest r = ch.readInbound();
        ch.finishAndReleaseAll();
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/9.9", "HTTP/2.0", "HTTP/1.2", "HTTP/3.0", "HTTP/0.9"})
    void unknownHttpVersionsAre505(String version) {
        HttpRequest r = decode("GET http://a.example/ " + version + "\r\nHost: a.example\r\n\r\n");
        assertThat(r.decoderResult().isSuccess())
                .as("the decoder accepts any HTTP/x.y")
                .isTrue();
        RequestChecks.Refusal refusal = RequestChecks.check(r, 100);
        assertThat(refusal).isNotNull();
        assertThat(refusal.status()).isEqualTo(505);
        assertThat(refusal.reason()).contains(version).contains("HTTP/1.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.0", "HTTP/1.1"})
    void http10And11PassTheVersionCheck(String version) {
        HttpRequest r = decode("GET http://a.example/ " + version + "\r\nHost: a.example\r\n\r\n");
        assertThat(RequestChecks.check(r, 100)).isNull();
    }

    @Test
    void theHttp2PrefaceIsToldThatThisPortSpeaksHttp11() {
        HttpRequest r = decode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        RequestChecks.Refusal refusal = RequestChecks.check(r, 100);
        assertThat(refusal).isNotNull();
        assertThat(refusal.status()).isEqualTo(505);
        assertThat(refusal.reason())
                .contains("HTTP/2")
                .contains("prior knowledge")
                .contains("speaks HTTP/1.1");
    }
}
