package dev.tollgate.server;

import dev.tollgate.net.Drain;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one first-bytes classifier, on the proxy port, behind TLS to the proxy and inside a
 * CONNECT: the first byte a client sends says TLS, HTTP or something else; silence, an origin
 * that speaks first and a client that leaves are outcomes too. The branch installs what comes
 * next (after this handler), then the classifier removes itself and hands on every byte it held.
 */
final class FirstBytes extends ByteToMessageDecoder {
    private static final int TLS_HANDSHAKE = 0x16;
    /** Longer than any registered HTTP method (UPDATEREDIRECTREF has 17 letters). */
    private static final int MAX_METHOD = 20;

    /** What the first bytes (or their absence) say. */
    enum Protocol {
        /** A TLS handshake record. */
        TLS,
        /** Upper-case letters and a space: the method of an HTTP/1.x request line. */
        HTTP,
        /** Neither: a protocol the proxy does not decode. */
        OTHER,
        /** Nothing within the silence timeout (bytes that never became a method are {@link #OTHER}). */
        SILENT,
        /** The other side of the connection spoke first ({@link #PEER_SPOKE} fired). */
        PEER_FIRST,
        /** The other side of the connection closed before either side spoke ({@link #PEER_LEFT} fired). */
        PEER_CLOSED,
        /** The client closed (or half-closed) before a byte. */
        CLOSED
    }

    /** Fired down the client pipeline when the origin of a CONNECT sends its first bytes before the client. */
    static final Object PEER_SPOKE = new Object() {
        @Override
        public String toString() {
            return "peer spoke first";
        }
    };

    /** Fired down the client pipeline when the origin of a CONNECT closes before either side spoke. */
    static final Object PEER_LEFT = new Object() {
        @Override
        public String toString() {
            return "peer left first";
        }
    };

    /** The branch: installs the handlers for what was found, after {@code ctx}. */
    @FunctionalInterface
    interface Branch {
        void take(ChannelHandlerContext ctx, Protocol found);
    }

    private final long silenceNanos;
    private final Branch branch;
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext context;
    private boolean decided;

    FirstBytes(Duration silence, Branch branch) {
        this.silenceNanos = silence.toNanos();
        this.branch = branch;
    }

    /**
     * What the bytes so far say, or null when they cannot tell yet (upper-case letters without
     * the space that ends an HTTP method). A method and its space, not just a capital letter, so
     * that an SSH client's {@code SSH-2.0-…} or a Redis {@code PING} inside a CONNECT is not
     * taken for HTTP.
     */
    static Protocol classify(ByteBuf in) {
        int start = in.readerIndex();
        int first = in.getUnsignedByte(start);
        if (first == TLS_HANDSHAKE) {
            return Protocol.TLS;
        }
        int end = Math.min(in.writerIndex(), start + MAX_METHOD + 1);
        for (int i = start; i < end; i++) {
            int b = in.getUnsignedByte(i);
            if (b == ' ' && i > start) {
                return Protocol.HTTP;
            }
            if (b < 'A' || b > 'Z') {
                return Protocol.OTHER;
            }
        }
        return end - start > MAX_METHOD ? Protocol.OTHER : null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            await(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        await(ctx);
        super.channelActive(ctx);
    }

    private void await(ChannelHandlerContext ctx) {
        if (timer == null) {
            context = ctx;
            timer = ctx.executor().schedule(this::timedOut, silenceNanos, TimeUnit.NANOSECONDS);
            ctx.read();
        }
    }

    /** Bytes that never became a method are something other than HTTP; no bytes at all is silence. */
    private void timedOut() {
        ChannelHandlerContext ctx = context;
        if (ctx != null) {
            decide(ctx, actualReadableBytes() > 0 ? Protocol.OTHER : Protocol.SILENT);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        Protocol found = in.isReadable() ? classify(in) : null;
        if (found != null) {
            decide(ctx, found);
        }
    }

    private void decide(ChannelHandlerContext ctx, Protocol found) {
        if (decided || ctx.isRemoved()) {
            return;
        }
        decided = true;
        cancelTimer();
        branch.take(ctx, found);
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }

    /**
     * A client that connects and closes without a byte (a TCP health probe) half-closes; with
     * half-closure on, that is an event, not an inactive channel.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            decide(ctx, Protocol.CLOSED);
        } else if (evt == PEER_SPOKE) {
            decide(ctx, Protocol.PEER_FIRST);
        } else if (evt == PEER_LEFT) {
            decide(ctx, Protocol.PEER_CLOSED);
        } else if (evt == Drain.EVENT) {
            ctx.close(); // shutting down, and this connection has nothing in flight
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        decide(ctx, Protocol.CLOSED);
        ctx.fireChannelInactive();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        if (!ctx.isRemoved()) {
            ctx.read(); // still undecided: not a single byte yet
        }
    }
}
