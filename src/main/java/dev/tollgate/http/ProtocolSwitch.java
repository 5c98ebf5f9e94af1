package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.Flows;
import dev.tollgate.net.Leftovers;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.net.Relay;
import dev.tollgate.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * After a 101 Switching Protocols (WebSocket), HTTP is over on both connections: drop the
 * codecs, keep what they had buffered, and relay bytes both ways until either side ends.
 */
final class ProtocolSwitch {
    private ProtocolSwitch() {}

    static void join(HttpProxyFrontend front, UpstreamConnection upstream, Flow flow, Flows flows,
            java.time.Duration idle) {
        front.flush();
        Channel client = front.context().channel();
        Channel origin = upstream.channel();
        ByteBuf fromClient = Leftovers.strip(client.pipeline(), PipelineNames.FRONTEND,
                PipelineNames.READ_GATE, PipelineNames.HTTP_CODEC, PipelineNames.IDLE, PipelineNames.HEAD_TIMER);
        ByteBuf fromOrigin = Leftovers.strip(origin.pipeline(), PipelineNames.UPSTREAM_HANDLER,
                PipelineNames.UPSTREAM_CODEC);
        flow.addBytesUp(fromClient.readableBytes());
        flow.addBytesDown(fromOrigin.readableBytes());
        origin.writeAndFlush(fromClient, origin.voidPromise());
        client.writeAndFlush(fromOrigin, client.voidPromise());
        long nanos = idle.toNanos();
        client.pipeline().addLast(PipelineNames.IDLE, new io.netty.handler.timeout.IdleStateHandler(0, 0, nanos,
                java.util.concurrent.TimeUnit.NANOSECONDS));
        origin.pipeline().addLast(PipelineNames.IDLE, new io.netty.handler.timeout.IdleStateHandler(0, 0, nanos,
                java.util.concurrent.TimeUnit.NANOSECONDS));
        Relay.join(client, origin, flow::addBytesUp, flow::addBytesDown, flow::end);
    }
}
