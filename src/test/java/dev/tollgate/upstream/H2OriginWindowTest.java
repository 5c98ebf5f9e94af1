package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.http2.H2Codecs;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, D': an adopted h2 origin connection lets the origin send 1 MiB per stream and about
 * 2 MiB per connection ahead, not HTTP/2's 64 KiB (a WINDOW_UPDATE every 32 KiB capped a bulk download
 * at ~300 MiB/s and cost ~100 ms of event-loop CPU per 100 MiB).
 */
class H2OriginWindowTest {
    @Test
    void theOriginMaySendAMebibytePerStreamAndTwoPerConnectionAhead() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(OriginProtocol.NAME, new ChannelInboundHandlerAdapter());
        UpstreamKey key = new UpstreamKey(new Endpoint("127.0.0.1", 443), null, "origin.test");
        H2Origin.adopt(ch, key, "127.0.0.1:443", false, Duration.ofSeconds(30));
        Http2Connection connection = ch.pipeline().get(Http2FrameCodec.class).connection();
        // the origin's preface (empty SETTINGS) and its ACK of ours: our settings apply from the ACK
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0}));
        assertThat(connection.local().flowController().initialWindowSize()).isEqualTo(H2Codecs.ORIGIN_STREAM_WINDOW);
        assertThat(connection.local().flowController().windowSize(connection.connectionStream()))
                .as("the connection window takes two streams' windows")
                .isGreaterThanOrEqualTo(2 * H2Codecs.ORIGIN_STREAM_WINDOW - 65535);
        assertThat(H2Codecs.ORIGIN_STREAM_WINDOW).isEqualTo(1 << 20);
        ch.finishAndReleaseAll();
    }
}
