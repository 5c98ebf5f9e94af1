package dev.tollgate.intercept;

import dev.tollgate.flow.Flow;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.net.RawResponses;
import dev.tollgate.route.RouteDecision;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * Takes over a CONNECT chosen for interception: answers 200 at once, then lets
 * {@link InsideSniffer} look at what the client sends inside the tunnel.
 */
public final class InterceptStarter {
    private final InterceptServices services;

    public InterceptStarter(InterceptServices services) {
        this.services = services;
    }

    public void start(Channel client, RouteDecision.Intercept decision, Flow flow, ByteBuf early) {
        client.writeAndFlush(RawResponses.connectEstablished(client.alloc()), client.voidPromise());
        // The early bytes are already plain (past TLS to the proxy, if any): they enter right
        // before the sniffer, not at the head of the pipeline.
        ChannelHandlerContext before = client.pipeline().lastContext();
        client.pipeline().addLast(PipelineNames.SNIFFER, new InsideSniffer(services, decision, flow));
        if (early.isReadable()) {
            if (before == null) {
                client.pipeline().fireChannelRead(early).fireChannelReadComplete();
            } else {
                before.fireChannelRead(early).fireChannelReadComplete();
            }
        } else {
            early.release();
            client.read();
        }
    }
}
