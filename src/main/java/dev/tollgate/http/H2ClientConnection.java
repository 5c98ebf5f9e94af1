package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.Flows;
import dev.tollgate.http2.StreamReset;
import dev.tollgate.net.Channels;
import dev.tollgate.net.Via;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The end of an h2 client connection's own pipeline (streams have theirs): one flow for what
 * concerns the connection rather than a stream. A limit breach or a protocol error (Netty has
 * already chosen the GOAWAY code and sends it) says which; so does a connection that ended
 * without a single stream.
 */
final class H2ClientConnection extends ChannelInboundHandlerAdapter {
    private final Flows flows;
    private final InterceptSession session;
    private int streams;
    private int active;
    private boolean logged;

    H2ClientConnection(Flows flows, InterceptSession session) {
        this.flows = flows;
        this.session = session;
    }

    /**
     * Every GOAWAY with an error the codec sends, whether a frame it read broke a rule or a write
     * it queued did (a flood of PINGs whose answers are never read trips the latter, and Netty
     * reports that one to no handler).
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.pipeline().get(Http2FrameCodec.class).connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
                if (errorCode != Http2Error.NO_ERROR.code()) {
                    log(
                            ctx,
                            "HTTP/2 connection closed with GOAWAY " + StreamReset.describe(errorCode) + ": "
                                    + debugData.toString(StandardCharsets.UTF_8));
                }
            }
        });
    }

    void streamOpened(Channel stream) {
        streams++;
        active++;
        stream.closeFuture().addListener(f -> active--);
    }

    /** SETTINGS, PING, GOAWAY from the client: the codec has acted on them already. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Http2Exception h2 = cause instanceof Http2Exception e ? e : null;
        String reason = h2 != null
                ? "HTTP/2 connection closed with GOAWAY "
                        + StreamReset.describe(h2.error().code()) + ": " + h2.getMessage()
                : "HTTP/2 connection failed: " + cause.getMessage();
        log(ctx, reason);
        if (h2 == null) {
            ctx.close();
        } // else the codec sends GOAWAY and closes
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close(); // an h2 client that half-closes has left: nothing more can arrive on any stream
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (active == 0) {
                ctx.close(); // the codec sends GOAWAY first
            } // else each stream's own idle timer decides, and its flow says which exchange stalled
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (streams == 0) {
            log(
                    ctx,
                    session.upstreamFailure() != null
                            ? session.upstreamFailure()
                            : "the client closed the HTTP/2 connection without opening a stream");
        }
        ctx.fireChannelInactive();
    }

    private void log(ChannelHandlerContext ctx, String reason) {
        if (logged) {
            return;
        }
        logged = true;
        Flow flow = flows.open(Channels.addressOf(ctx.channel().remoteAddress()))
                .via(Via.of(ctx.channel()))
                .request("CONNECT", session.target().authority())
                .clientVersion(StreamFacts.HTTP_2);
        session.stamp(flow);
        flow.error(reason).end();
    }
}
