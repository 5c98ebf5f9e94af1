package dev.tollgate.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every client pipeline. What reaches it was not wanted by any stage:
 * failures of the client's connection (a reset, a TLS alert from a client that does not trust
 * the CA) that the stage's own flow already reports, and bytes or events of a protocol that was
 * just left. It closes on a failure and never lets Netty print a tail-of-pipeline warning.
 */
final class PipelineTail extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineTail.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("client {}: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing: the stages decide when to read
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // nothing: the stages that relay watch writability themselves
    }
}
