package dev.tollgate.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * On the origin of an intercepted CONNECT while its client has not spoken yet: an origin that
 * speaks first (an SMTP, IMAP, FTP, MySQL or SSH banner) tells the client's classifier so, and
 * the bytes are held until the relay takes them. An origin that closes first is closed.
 */
final class OriginWatch extends ByteToMessageDecoder {
    private final Channel client;
    private boolean told;

    OriginWatch(Channel client) {
        this.client = client;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable() && !told) {
            told = true;
            client.pipeline().fireUserEventTriggered(FirstBytes.PEER_SPOKE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!told) {
            told = true;
            client.pipeline().fireUserEventTriggered(FirstBytes.PEER_LEFT);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // the client's classifier hears of it through channelInactive
    }
}
