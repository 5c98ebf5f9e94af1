package dev.tollgate.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;

/**
 * Strips protocol handlers from a pipeline when a connection changes protocol (CONNECT, 101
 * Switching Protocols) and keeps the raw bytes they had buffered but not yet decoded, so
 * that nothing the peer already sent is lost.
 */
public final class Leftovers extends ChannelInboundHandlerAdapter {
    private static final String NAME = "leftovers";
    private final CompositeByteBuf bytes;

    private Leftovers(ChannelPipeline p) {
        bytes = p.channel().alloc().compositeBuffer();
    }

    /**
     * Removes the named handlers (missing ones are skipped), in order, and returns the bytes
     * they held; the caller owns the returned buffer (possibly empty). Decoded messages they
     * held are released: they belonged to the protocol being left.
     */
    public static ByteBuf strip(ChannelPipeline p, String... names) {
        Leftovers collector = new Leftovers(p);
        if (p.get(PipelineNames.TAIL) != null) {
            p.addBefore(PipelineNames.TAIL, NAME, collector); // the bytes must reach it, not the tail
        } else {
            p.addLast(NAME, collector);
        }
        for (String name : names) {
            Channels.removeIfPresent(p, name);
        }
        p.remove(NAME);
        return collector.bytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            bytes.addComponent(true, buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // swallowed: the new protocol's handlers decide when to read
    }
}
