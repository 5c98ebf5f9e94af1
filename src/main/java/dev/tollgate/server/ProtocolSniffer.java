package dev.tollgate.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Looks at the first byte a client sends: a TLS handshake record (0x16) means the client
 * speaks TLS to the proxy itself ({@code https_proxy=https://…}); anything else is HTTP. It
 * then replaces itself with the matching handlers and hands them every byte it saw.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
    private static final int TLS_HANDSHAKE = 0x16;

    interface Installer {
        void installHttp(ChannelHandlerContext ctx);

        void installProxyTls(ChannelHandlerContext ctx);
    }

    private final Installer installer;
    private final long firstByteNanos;
    private ScheduledFuture<?> timer;

    /** @param firstByte how long a new connection may stay silent (port probes, idle dialers) */
    ProtocolSniffer(Installer installer, Duration firstByte) {
        this.installer = installer;
        this.firstByteNanos = firstByte.toNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timer = ctx.executor().schedule(() -> { ctx.close(); }, firstByteNanos, TimeUnit.NANOSECONDS);
        ctx.read();
        super.channelActive(ctx);
    }

    /**
     * A client that connects and closes without a byte (a TCP health probe) half-closes; with
     * half-closure on, that is an event, not an inactive channel, and nothing else would ever
     * close our side.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        if (in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE) {
            installer.installProxyTls(ctx);
        } else {
            installer.installHttp(ctx);
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        if (ctx.pipeline().context(this) != null) {
            ctx.read(); // still undecided: not a single byte yet
        }
    }
}
