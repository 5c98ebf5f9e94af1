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
import io.netty.util.ReferenceCountUtil;
import java.util.function.LongConsumer;

/**
 * One direction of a blind byte relay between two channels on one event loop: read while the
 * peer can take more, pass a half-close on as a half-close, and close both channels once either
 * side fails or both have finished. One {@link RelayIdle} timer watches both directions.
 *
 * <p>Reading is on (AUTO_READ) for the whole relay and only switched off while the peer cannot
 * take more, rather than one {@code read()} per chunk (which reads one chunk per event-loop turn),
 * and each chunk is flushed as it is read, so a bulk transfer streams instead of collecting a read
 * loop's worth before the first byte goes out.
 */
public final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final LongConsumer bytesIn;
    private final RelayIdle idle;
    private final Runnable onClosed;
    private boolean inputDone;

    /**
     * @param bytesIn counts what this side reads (the flow's up or down bytes)
     * @param idle the relay's idle timer, told of every read
     * @param onClosed runs once when this side's channel closes
     */
    public Relay(Channel peer, LongConsumer bytesIn, RelayIdle idle, Runnable onClosed) {
        this.peer = peer;
        this.bytesIn = bytesIn;
        this.idle = idle;
        this.onClosed = onClosed;
    }

    /**
     * The two halves of a relay between {@code a} and {@code b} (both AUTO_READ off, on one
     * event loop): the first goes on {@code a}'s pipeline, the second on {@code b}'s; the caller
     * installs them, starts {@code idle}, then {@link #start}s both.
     */
    public static Relay[] pair(
            Channel a, Channel b, LongConsumer aToB, LongConsumer bToA, RelayIdle idle, Runnable onBothClosed) {
        Runnable closed = new Runnable() {
            private int remaining = 2;

            @Override
            public void run() {
                if (--remaining == 0) {
                    idle.stop();
                    onBothClosed.run();
                }
            }
        };
        return new Relay[] {new Relay(b, aToB, idle, closed), new Relay(a, bToA, idle, closed)};
    }

    /** Starts reading both sides of an installed pair. */
    public static void start(Channel a, Channel b) {
        a.config().setAutoRead(true);
        b.config().setAutoRead(true);
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
        peer.writeAndFlush(buf, peer.voidPromise());
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false); // also ends the current read loop
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        idle.active();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer.isActive()) {
            idle.active(); // the peer's bytes drained: a slow reader is not an idle one
            Relay peerRelay = peer.pipeline().get(Relay.class);
            if (peerRelay != null && !peerRelay.inputDone) {
                peer.config().setAutoRead(true);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputDone = true;
            halfClosePeer(ctx);
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
            tls.closeOutbound().addListener(f -> HalfClose.output(duplex));
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> HalfClose.output(duplex));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idle.stop();
        Channels.closeOnFlush(peer);
        onClosed.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        peer.close();
    }
}
