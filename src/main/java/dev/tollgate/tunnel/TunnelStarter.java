package dev.tollgate.tunnel;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.Flows;
import dev.tollgate.net.Channels;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.net.RawResponses;
import dev.tollgate.net.Relay;
import dev.tollgate.route.Hop;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.upstream.Endpoint;
import dev.tollgate.upstream.UpstreamConnector;
import dev.tollgate.upstream.UpstreamException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A blind CONNECT tunnel: connect upstream first (so a failure can still be a 502 or 504),
 * answer 200, then relay bytes both ways. The client's TLS goes through untouched, so it sees
 * the origin's real certificate.
 */
public final class TunnelStarter {
    private final UpstreamConnector connector;
    private final Flows flows;
    private final Duration idleTimeout;

    public TunnelStarter(UpstreamConnector connector, Flows flows, Duration idleTimeout) {
        this.connector = connector;
        this.flows = flows;
        this.idleTimeout = idleTimeout;
    }

    public void start(Channel client, RouteDecision.Tunnel decision, Flow flow, ByteBuf early) {
        open(client, decision, flow, early, false);
    }

    /**
     * The same for a CONNECT already answered with 200 (interception found neither TLS nor
     * HTTP inside): a failure can only close the client now.
     */
    public void relayAnswered(Channel client, RouteDecision.Tunnel decision, Flow flow, ByteBuf early) {
        open(client, decision, flow, early, true);
    }

    private void open(Channel client, RouteDecision.Tunnel decision, Flow flow, ByteBuf early, boolean answered) {
        Endpoint target = new Endpoint(decision.target().host(), decision.target().port());
        Endpoint parent = decision.hop() instanceof Hop.ViaParent p
                ? new Endpoint(p.parent().host(), p.parent().port()) : null;
        connector.openTunnel(client.eventLoop(), target, parent).addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                early.release();
                refuse(client, flow, f.cause(), answered);
                return;
            }
            Channel upstream = f.getNow();
            if (!client.isActive()) {
                early.release();
                upstream.close();
                flow.error("client closed before the tunnel was up");
                flow.end();
                return;
            }
            flow.upstream(parent != null ? parent.authority() : Channels.addressOf(upstream.remoteAddress())).status(200);
            relay(client, upstream, flow, early, answered);
        });
    }

    private void relay(Channel client, Channel upstream, Flow flow, ByteBuf early, boolean answered) {
        flow.started();
        if (!answered) {
            client.writeAndFlush(RawResponses.connectEstablished(client.alloc()), client.voidPromise());
        }
        if (early.isReadable()) {
            flow.addBytesUp(early.readableBytes());
            upstream.writeAndFlush(early, upstream.voidPromise());
        } else {
            early.release();
        }
        long idleNanos = idleTimeout.toNanos();
        client.pipeline().addLast(PipelineNames.IDLE, new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS));
        upstream.pipeline().addLast(PipelineNames.IDLE, new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS));
        Relay.join(client, upstream, flow::addBytesUp, flow::addBytesDown, flow::end);
    }

    private void refuse(Channel client, Flow flow, Throwable cause, boolean answered) {
        int status = cause instanceof UpstreamException u ? u.kind().status : 502;
        if (cause instanceof UpstreamException u && u.kind() == UpstreamException.Kind.DENIED) {
            flow.mode(FlowMode.DENY);
        }
        String reason = cause instanceof UpstreamException ? cause.getMessage() : "cannot open tunnel: " + cause;
        flow.status(status).error(reason);
        flow.end();
        if (client.isActive() && !answered) {
            client.writeAndFlush(RawResponses.error(client.alloc(), status, reason))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            Channels.closeOnFlush(client);
        }
    }

}
