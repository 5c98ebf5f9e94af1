package dev.tollgate.intercept;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.http.InterceptSession;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.route.RouteDecision;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * The first byte inside an intercepted CONNECT decides: a TLS handshake record gets a forged
 * leaf ({@link LeafSniHandler}); an upper-case letter starts a plain HTTP request, decoded
 * like any other; anything else is relayed blind and logged as a tunnel.
 */
final class InsideSniffer extends ByteToMessageDecoder {
    private static final int TLS_HANDSHAKE = 0x16;

    private final InterceptServices services;
    private final RouteDecision.Intercept decision;
    private final Flow flow;

    private io.netty.util.concurrent.ScheduledFuture<?> silence;

    InsideSniffer(InterceptServices services, RouteDecision.Intercept decision, Flow flow) {
        this.services = services;
        this.decision = decision;
        this.flow = flow;
    }

    /** A tunnel the client never speaks in is closed after the handshake timeout, with a flow. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        silence = ctx.executor().schedule(() -> {
            flow.error("client sent nothing inside the tunnel within " + services.handshakeTimeout().toSeconds() + "s");
            flow.end();
            ctx.close();
        }, services.handshakeTimeout().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (silence.cancel(false)) {
            flow.error("client closed the tunnel before sending anything");
            flow.end();
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        silence.cancel(false);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        if (first == TLS_HANDSHAKE) {
            ctx.pipeline().addAfter(ctx.name(), PipelineNames.INTERCEPT_TLS, new LeafSniHandler(services, decision, flow));
        } else if (first >= 'A' && first <= 'Z') {
            InterceptSession plain = new InterceptSession(decision, null, null, null, null, null, null, 0, null);
            services.http().install(ctx.pipeline(), ctx.name(), plain);
        } else {
            ByteBuf early = in.readRetainedSlice(in.readableBytes());
            ctx.pipeline().remove(this);
            services.blind().relay(ctx.channel(), new RouteDecision.Tunnel(decision.target(), decision.hop(), false),
                    flow.mode(FlowMode.TUNNEL), early);
            return;
        }
        ctx.pipeline().remove(this);
    }

    /** The client closed its side before a byte: nothing will follow. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            ctx.close(); // channelInactive logs the flow
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        if (ctx.pipeline().context(this) != null) {
            ctx.read();
        }
    }
}
