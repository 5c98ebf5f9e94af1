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
        InsideSniffer sniffer = new InsideSniffer(services, decision, flow);
        client.pipeline().addLast(PipelineNames.SNIFFER, sniffer);
        ChannelHandlerContext ctx = client.pipeline().context(sniffer);
        if (early.isReadable()) {
            sniffer.channelRead(ctx, early);
            sniffer.channelReadComplete(ctx);
        } else {
            early.release();
            client.read();
        }
    }
}
