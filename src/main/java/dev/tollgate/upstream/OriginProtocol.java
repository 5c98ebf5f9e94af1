package dev.tollgate.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Holds the place of the HTTP handlers on a TLS origin connection until ALPN says which
 * protocol the origin chose. An h2 origin sends its SETTINGS right after the handshake, in the
 * same read as its last handshake record at times: those bytes wait here instead of reaching
 * a codec for the wrong version, and go on to the right one once it is in place.
 */
final class OriginProtocol extends ChannelInboundHandlerAdapter {
    static final String NAME = "origin-protocol";

    private final ArrayDeque<Object> held = new ArrayDeque<>(2);

    /** True when the origin's TLS handshake chose h2. */
    static boolean choseH2(Channel ch) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        return ssl != null && ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing to pass on: whatever follows us is not there yet
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
        ctx.fireChannelInactive();
    }

    /** Replaced by the chosen protocol's handlers: what arrived meanwhile goes to them. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        boolean any = !held.isEmpty();
        while (!held.isEmpty()) {
            ctx.fireChannelRead(held.poll());
        }
        if (any) {
            ctx.fireChannelReadComplete();
        }
    }
}
