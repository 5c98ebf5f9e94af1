package dev.tollgate.tunnel;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.Flows;
import dev.tollgate.net.Channels;
import dev.tollgate.net.ClientPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * A blind CONNECT tunnel, once the CONNECT was answered 200 over an open origin connection:
 * bytes both ways until both sides end, one flow for the whole tunnel. The client's TLS (if
 * any) goes through untouched, so it sees the origin's real certificate.
 */
public final class BlindTunnel {
    private final ClientPipeline pipeline;
    private final Flows flows;

    public BlindTunnel(ClientPipeline pipeline, Flows flows) {
        this.pipeline = pipeline;
        this.flows = flows;
    }

    /** @param early bytes the client already sent into the tunnel, relayed first (released here) */
    public void relay(Channel client, Channel origin, Flow flow, ByteBuf early) {
        flow.status(200).started();
        if (!client.isActive() || !origin.isActive()) {
            early.release();
            flow.error(
                    client.isActive()
                            ? "the origin closed the connection before either side spoke"
                            : "client closed the tunnel before it was relayed");
            flow.end();
            Channels.closeOnFlush(client);
            origin.close();
            return;
        }
        if (early.isReadable()) {
            flow.addBytesUp(early.readableBytes());
            origin.writeAndFlush(early, origin.voidPromise());
        } else {
            early.release();
        }
        pipeline.relay(client, origin, flow::addBytesUp, flow::addBytesDown, flow::end);
    }
}
