package dev.tollgate.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.LongConsumer;

/**
 * One direction of a blind byte relay between two channels with AUTO_READ off: read the next
 * chunk only while the peer can take it (the HexDumpProxy shape), pass a half-close on as a
 * half-close, and close both channels once either side fails or both have finished.
 */
public final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final LongConsumer bytesIn;
    private final Runnable onClosed;
    private boolean inputDone;

    /**
     * @param bytesIn counts what this side reads (the flow's up or down bytes)
     * @param onClosed runs once when this side's channel closes
     */
    public Relay(Channel peer, LongConsumer bytesIn, Runnable onClosed) {
        this.peer = peer;
        this.bytesIn = bytesIn;
        this.onClosed = onClosed;
    }

    /**
     * The two halves of a relay between {@code a} and {@code b} (both AUTO_READ off, on one
     * event loop): the first goes on {@code a}'s pipeline, the second on {@code b}'s; the caller
     * installs them, then calls {@code read()} on both.
     */
    public static Relay[] pair(Channel a, Channel b, LongConsumer aToB, LongConsumer bToA, Runnable onBothClosed) {
        Runnable closed = new Runnable() {
            private int remaining = 2;

            @Override
            public void run() {
                if (--remaining == 0) {
                    onBothClosed.run();
                }
            }
        };
        return new Relay[] {new Relay(b, aToB, closed), new Relay(a, bToA, closed)};
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        bytesIn.accept(buf.readableBytes());
        if (!peer.isActive()) {
            buf.release();
            return;
        }
        peer.write(buf, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer.isActive()) {
            Relay peerRelay = peer.pipeline().get(Relay.class);
            if (peerRelay != null && !peerRelay.inputDone) {
                peer.read();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputDone = true;
            halfClosePeer(ctx);
        } else if (evt instanceof IdleStateEvent) {
            ctx.close();
            peer.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void halfClosePeer(ChannelHandlerContext ctx) {
        Relay peerRelay = peer.pipeline().get(Relay.class);
        boolean peerDone = peerRelay == null || peerRelay.inputDone;
        if (peerDone || !(peer instanceof DuplexChannel duplex)) {
            Channels.closeOnFlush(peer);
            Channels.closeOnFlush(ctx.channel());
            return;
        }
        SslHandler tls = peer.pipeline().get(SslHandler.class);
        if (tls != null) {
            // TLS to this peer: close_notify first, so it sees an end and not a truncation
            peer.flush();
            tls.closeOutbound().addListener(f -> duplex.shutdownOutput());
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> duplex.shutdownOutput());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Channels.closeOnFlush(peer);
        onClosed.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        peer.close();
    }
}
