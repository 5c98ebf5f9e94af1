package dev.tollgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.Flows;
import dev.tollgate.net.ClientPipeline;
import dev.tollgate.net.Leftovers;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.net.Relay;
import dev.tollgate.net.RelayIdle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/** A blind tunnel after its 200: early bytes first, one flow for the whole tunnel, ended once. */
class BlindTunnelTest {
    private final List<FlowRecord> ended = new CopyOnWriteArrayList<>();
    private final Flows flows = new Flows(List.of(ended::add));

    /** The relay as the pipeline owner installs it, minus the idle timer (time does not pass here). */
    private static final ClientPipeline RELAY = new ClientPipeline() {
        @Override
        public ByteBuf leaveHttp(Channel client) {
            return Leftovers.strip(client.pipeline(), PipelineNames.HTTP_STAGES);
        }

        @Override
        public void relay(Channel client, Channel upstream, LongConsumer up, LongConsumer down, Runnable onClosed) {
            Relay[] halves = Relay.pair(client, upstream, up, down, new RelayIdle(client, upstream, 0), onClosed);
            client.pipeline().addLast(PipelineNames.RELAY, halves[0]);
            upstream.pipeline().addLast(PipelineNames.RELAY, halves[1]);
        }
    };

    private static String written(EmbeddedChannel ch) {
        StringBuilder b = new StringBuilder();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; buf.release()) {
            b.append(buf.toString(StandardCharsets.US_ASCII));
        }
        return b.toString();
    }

    @Test
    void earlyBytesGoFirstAndOneSideClosingEndsTheTunnelAndItsFlowOnce() {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel origin = new EmbeddedChannel();
        var flow = flows.open("10.1.2.3:40000")
                .request("CONNECT", "origin.test:22")
                .mode(FlowMode.TUNNEL);
        new BlindTunnel(RELAY, flows)
                .relay(client, origin, flow, Unpooled.copiedBuffer("SSH-2.0-c\r\n", StandardCharsets.US_ASCII));
        assertThat(written(origin)).isEqualTo("SSH-2.0-c\r\n");
        origin.writeInbound(Unpooled.copiedBuffer("SSH-2.0-s\r\n", StandardCharsets.US_ASCII));
        assertThat(written(client)).isEqualTo("SSH-2.0-s\r\n");
        client.close();
        assertThat(origin.isOpen()).as("the relay closes the other side").isFalse();
        origin.close();
        assertThat(ended).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(200);
            assertThat(f.bytesUp()).isEqualTo(11);
            assertThat(f.bytesDown()).isEqualTo(11);
            assertThat(f.error()).isNull();
        });
    }

    @Test
    void originGoneBeforeTheRelayClosesTheClientAndSaysWhy() {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel origin = new EmbeddedChannel();
        origin.close();
        var flow = flows.open("10.1.2.3:40000")
                .request("CONNECT", "origin.test:25")
                .mode(FlowMode.TUNNEL);
        new BlindTunnel(RELAY, flows).relay(client, origin, flow, Unpooled.EMPTY_BUFFER);
        assertThat(client.isOpen()).isFalse();
        assertThat(ended)
                .singleElement()
                .satisfies(f ->
                        assertThat(f.error()).isEqualTo("the origin closed the connection before either side spoke"));
    }
}
