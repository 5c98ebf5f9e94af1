package dev.tollgate.http;

import dev.tollgate.config.Http2Limits;
import dev.tollgate.http2.H2Codecs;
import dev.tollgate.http2.StreamMessages;
import dev.tollgate.http2.StreamResets;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.net.ReadGate;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client side of an intercepted connection whose client chose h2: the frame codec with the
 * {@code http2.*} limits, one child channel per stream, and in each child the same forwarding
 * handlers an HTTP/1.1 connection has, behind a codec that turns the stream into HttpObjects.
 * A stream is then one exchange and one flow. Child channels read only on demand (AUTO_READ
 * off), so a stream's WINDOW_UPDATEs follow its exchange's progress toward the origin and a
 * slow stream holds back only itself.
 */
public final class Http2ClientBranch {
    static final String CODEC = "h2-codec";
    static final String STREAMS = "h2-streams";
    static final String IDLE = "h2-idle";
    static final String CONNECTION = "h2-connection";

    private final Http2Limits limits;
    private final long idleNanos;

    /** @param idle how long a connection without streams, or one stream, may sit without a byte */
    public Http2ClientBranch(Http2Limits limits, Duration idle) {
        this.limits = limits;
        this.idleNanos = idle.toNanos();
    }

    /**
     * After the client's handshake chose h2 (a {@code server.InterceptedExchanges}): the
     * connection's handlers go before the pipeline's tail; each stream gets the forwarding stage.
     */
    public void install(ChannelPipeline p, InterceptSession session, HttpProxyContext context) {
        H2ClientConnection connection = new H2ClientConnection(context.flows(), session);
        p.addBefore(PipelineNames.TAIL, CODEC, H2Codecs.clientFacing(limits))
                .addBefore(
                        PipelineNames.TAIL,
                        STREAMS,
                        new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel ch) {
                                connection.streamOpened(ch);
                                ch.config().setAutoRead(false);
                                ch.pipeline()
                                        .addLast(
                                                new Http2StreamFrameToHttpObjectCodec(true),
                                                new StreamResets(),
                                                new StreamMessages(),
                                                new ReadGate(1))
                                        .addLast(
                                                PipelineNames.IDLE,
                                                new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS))
                                        .addLast(
                                                PipelineNames.EXCHANGES,
                                                new ExchangeStage(
                                                        context, new InterceptedRouting(session, context.flows())));
                            }
                        }))
                .addBefore(PipelineNames.TAIL, IDLE, new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS))
                .addBefore(PipelineNames.TAIL, CONNECTION, connection);
        // frames of every stream share the connection: it is read freely, and each stream's
        // window (not the socket) holds a client back
        p.channel().config().setAutoRead(true);
    }
}
