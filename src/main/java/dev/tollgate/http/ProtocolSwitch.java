package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.Flows;
import dev.tollgate.net.ClientPipeline;
import dev.tollgate.net.Leftovers;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * After a 101 Switching Protocols (WebSocket), HTTP is over on both connections: drop the
 * codecs, keep what they had buffered, and relay bytes both ways until either side ends.
 */
final class ProtocolSwitch {
    private ProtocolSwitch() {}

    static void join(
            ExchangeStage front, UpstreamConnection upstream, Flow flow, Flows flows, ClientPipeline pipeline) {
        front.flush();
        Channel client = front.context().channel();
        Channel origin = upstream.channel();
        ByteBuf fromClient = pipeline.leaveHttp(client);
        ByteBuf fromOrigin =
                Leftovers.strip(origin.pipeline(), PipelineNames.UPSTREAM_HANDLER, PipelineNames.UPSTREAM_CODEC);
        flow.addBytesUp(fromClient.readableBytes());
        flow.addBytesDown(fromOrigin.readableBytes());
        origin.writeAndFlush(fromClient, origin.voidPromise());
        client.writeAndFlush(fromOrigin, client.voidPromise());
        pipeline.relay(client, origin, flow::addBytesUp, flow::addBytesDown, flow::end);
    }
}
