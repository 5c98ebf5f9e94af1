package dev.tollgate.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Watches the client's handshake with the forged leaf. Client channels allow half-closure, and
 * Netty's SslHandler does not fail a handshake on a half-close, so a client that sent its
 * ClientHello and then left would hold its connection and flow until the handshake timeout.
 * A client that half-closes mid-handshake can never finish it: close now, which fails the
 * handshake (and its flow) at once. Gone once the handshake ends either way.
 */
final class HandshakeWatch extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent) {
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
