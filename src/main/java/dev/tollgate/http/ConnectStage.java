package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.net.Channels;
import dev.tollgate.net.RawResponses;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Target;
import dev.tollgate.upstream.Endpoint;
import dev.tollgate.upstream.UpstreamException;
import dev.tollgate.upstream.UpstreamKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;

/**
 * The CONNECT stage: decides the route for the target, opens the TCP connection to it (through
 * the parent proxy when there is one) before answering, so that a closed port, an unknown host
 * or a timeout is a 502 or 504 with the reason on the CONNECT itself, as Squid does; then
 * answers 200 and hands the connection over. Runs after the HTTP stages were stripped, so it
 * answers in raw bytes. An intercepted CONNECT to an origin with an idle verified connection
 * in the pool is answered at once: that connection shows the origin reachable and serves the
 * first request, as a pool should (a client opening one CONNECT per request pays no new
 * upstream handshake).
 */
public final class ConnectStage {
    private final HttpProxyContext context;

    public ConnectStage(HttpProxyContext context) {
        this.context = context;
    }

    /** @param early the bytes behind the CONNECT request; owned here from now on */
    public void start(Channel client, HttpRequest connect, ByteBuf early, ConnectHandoff handoff) {
        Flow flow =
                context.flows().open(Channels.addressOf(client.remoteAddress())).request("CONNECT", connect.uri());
        RouteDecision decision;
        try {
            Target target = Target.parseAuthority(connect.uri(), -1);
            flow.request("CONNECT", target.authority());
            decision = context.router()
                    .get()
                    .decideConnect(((InetSocketAddress) client.remoteAddress()).getAddress(), target);
        } catch (IllegalArgumentException e) {
            refuse(client, flow, early, 400, "bad CONNECT target: " + e.getMessage());
            return;
        }
        flow.mode(FlowMode.ofWord(decision.mode()));
        if (decision instanceof RouteDecision.Deny deny) {
            refuse(client, flow, early, deny.status(), deny.reason());
            return;
        }
        OriginAddress address = OriginAddress.ofConnect(decision);
        Endpoint target = address.target();
        Endpoint parent = address.parent();
        if (decision instanceof RouteDecision.Intercept
                && context.upstream().hasIdle(new UpstreamKey(target, parent, target.host()))) {
            // a verified connection to this origin idles in the pool: it is reachable, and the
            // ClientHello will most likely name it, so the first request reuses that connection
            answer(client, decision, flow, early, null, handoff);
            return;
        }
        context.upstream().openTunnel(client.eventLoop(), target, parent).addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                refuseUnreachable(client, flow, early, target, f.cause());
                return;
            }
            Channel origin = f.getNow();
            if (!client.isActive()) {
                early.release();
                origin.close();
                flow.error("client closed before the connection to the origin was up")
                        .end();
                return;
            }
            flow.upstream(parent != null ? parent.authority() : Channels.addressOf(origin.remoteAddress()));
            answer(client, decision, flow, early, origin, handoff);
        });
    }

    private static void answer(
            Channel client, RouteDecision decision, Flow flow, ByteBuf early, Channel origin, ConnectHandoff handoff) {
        client.writeAndFlush(RawResponses.connectEstablished(client.alloc()), client.voidPromise());
        handoff.accepted(client, decision, flow, early, origin);
    }

    /**
     * The route for an intercepted CONNECT again, by the server name its ClientHello gave: the
     * CONNECT may have named an address. A name the router cannot take keeps the first decision.
     */
    public RouteDecision decideBySni(Channel client, RouteDecision.Intercept connect, String sni) {
        Target named;
        try {
            named = new Target(sni, connect.target().port());
        } catch (IllegalArgumentException e) {
            return connect;
        }
        return context.router().get().decideConnect(((InetSocketAddress) client.remoteAddress()).getAddress(), named);
    }

    private void refuseUnreachable(Channel client, Flow flow, ByteBuf early, Endpoint target, Throwable cause) {
        if (cause instanceof UpstreamException u) {
            if (u.kind() == UpstreamException.Kind.DENIED) {
                flow.mode(FlowMode.DENY);
            }
            flow.noProxyAdvice(u.noProxyAdvice());
            refuse(client, flow, early, u.kind().status, u.getMessage());
        } else {
            refuse(client, flow, early, 502, "cannot open a connection to " + target + ": " + cause);
        }
    }

    private void refuse(Channel client, Flow flow, ByteBuf early, int status, String reason) {
        early.release();
        flow.status(status).error(reason);
        flow.end();
        if (client.isActive()) {
            client.writeAndFlush(RawResponses.error(client.alloc(), status, reason))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
