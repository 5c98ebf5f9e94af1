package dev.tollgate.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

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

    ProtocolSniffer(Installer installer) {
        this.installer = installer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.read();
        super.channelActive(ctx);
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
