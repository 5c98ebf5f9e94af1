package dev.tollgate.server;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.http.ConnectStage;
import dev.tollgate.http.ExchangeStage;
import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.http.InterceptSession;
import dev.tollgate.http.InterceptedRouting;
import dev.tollgate.intercept.InterceptServices;
import dev.tollgate.intercept.InterceptedTls;
import dev.tollgate.intercept.LeafSniHandler;
import dev.tollgate.route.Hop;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.tunnel.BlindTunnel;
import dev.tollgate.upstream.Endpoint;
import dev.tollgate.upstream.UpstreamConnection;
import dev.tollgate.upstream.UpstreamKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Map;

/**
 * The next layers inside an intercepted CONNECT, once it was answered 200: classify what the
 * client sends (or that the origin speaks first), then the forged leaf and the exchanges by ALPN,
 * the HTTP stages, or a blind relay. The part of {@link NextLayer} that runs inside a tunnel.
 */
final class InsideConnect implements InterceptedTls {
    private final PipelineOwner owner;
    private final HttpProxyContext context;
    private final ConnectStage connects;
    private final InterceptServices intercept;
    private final BlindTunnel tunnels;
    private final Map<String, InterceptedExchanges> byAlpn;
    private final Duration clientFirstByte;

    InsideConnect(
            PipelineOwner owner,
            HttpProxyContext context,
            ConnectStage connects,
            InterceptServices intercept,
            BlindTunnel tunnels,
            Map<String, InterceptedExchanges> byAlpn,
            Duration clientFirstByte) {
        this.owner = owner;
        this.context = context;
        this.connects = connects;
        this.intercept = intercept;
        this.tunnels = tunnels;
        this.byAlpn = Map.copyOf(byAlpn);
        this.clientFirstByte = clientFirstByte;
    }

    /**
     * Without an origin connection (the pool had a verified one), the origin is known to speak
     * TLS on that port: no server-speaks-first protocol to wait for, so the client gets the
     * handshake timeout to speak, as before a CONNECT was answered only after connecting.
     */
    void start(Channel client, RouteDecision.Intercept decision, Flow flow, ByteBuf early, Channel origin) {
        start(client, decision, flow, early, origin, null);
    }

    /**
     * @param redirected for a redirected connection, the checks of the name its client gives
     *     against the original destination; null inside a CONNECT
     */
    void start(
            Channel client,
            RouteDecision.Intercept decision,
            Flow flow,
            ByteBuf early,
            Channel origin,
            RedirectedChecks redirected) {
        Duration silence = clientFirstByte;
        if (origin != null) {
            owner.watchOrigin(origin, client);
        } else {
            silence = intercept.handshakeTimeout();
        }
        owner.classify(
                client.pipeline(), silence, (ctx, found) -> inside(ctx, decision, flow, origin, found, redirected));
        if (early.isReadable()) {
            owner.replayBeforeClassifier(client.pipeline(), early);
        } else {
            early.release();
        }
    }

    private void inside(
            ChannelHandlerContext ctx,
            RouteDecision.Intercept decision,
            Flow flow,
            Channel origin,
            FirstBytes.Protocol found,
            RedirectedChecks redirected) {
        switch (found) {
            case TLS -> {
                unwatch(origin);
                InterceptedTls steps = redirected == null ? this : redirected.around(this);
                owner.installInterceptTls(ctx.pipeline(), new LeafSniHandler(intercept, decision, flow, origin, steps));
            }
            case HTTP -> {
                poolPlainOrigin(decision, origin);
                InterceptSession plain =
                        new InterceptSession(decision, null, null, null, null, null, null, 0, null, null);
                installHttp11(ctx.channel(), plain);
                if (redirected != null) {
                    owner.installHostCheck(ctx.pipeline(), redirected.hostCheck());
                }
            }
            case CLOSED -> {
                closeOrigin(origin);
                flow.error("client closed the tunnel before sending anything").end();
                ctx.close();
            }
            case PEER_CLOSED -> {
                closeOrigin(origin);
                flow.error("the origin closed the connection before either side spoke")
                        .end();
                ctx.close();
            }
            default -> {
                if (origin == null) {
                    flow.error(
                                    found == FirstBytes.Protocol.SILENT
                                            ? "client sent nothing inside the tunnel within "
                                                    + intercept
                                                            .handshakeTimeout()
                                                            .toSeconds() + "s"
                                            : "neither TLS nor HTTP inside a CONNECT to an origin that speaks TLS")
                            .end();
                    ctx.close();
                    return;
                }
                // neither TLS nor HTTP, or a server-speaks-first protocol (SMTP, IMAP, SSH): relay blind
                tunnels.relay(ctx.channel(), origin, flow.mode(FlowMode.TUNNEL), Unpooled.EMPTY_BUFFER);
                owner.unwatchOrigin(origin); // after the relay is in: a banner the watch held goes to the client
            }
        }
    }

    private void unwatch(Channel origin) {
        if (origin != null) {
            owner.unwatchOrigin(origin);
        }
    }

    private void closeOrigin(Channel origin) {
        if (origin != null) {
            owner.unwatchOrigin(origin);
            origin.close();
        }
    }

    /** Plain HTTP inside a direct CONNECT: the origin connection serves the first request from the pool. */
    private void poolPlainOrigin(RouteDecision.Intercept decision, Channel origin) {
        if (origin == null) {
            return;
        }
        owner.unwatchOrigin(origin);
        if (!(decision.hop() instanceof Hop.Direct)) {
            origin.close(); // through a parent, plain HTTP goes to it in absolute form, not through a CONNECT
            return;
        }
        UpstreamKey key = UpstreamKey.plain(
                new Endpoint(decision.target().host(), decision.target().port()), null);
        context.upstream().adopt(origin, key).addListener((Future<UpstreamConnection> f) -> {
            if (f.isSuccess()) {
                context.upstream().release(f.getNow());
            }
        });
    }

    @Override
    public RouteDecision decideBySni(Channel client, RouteDecision.Intercept connect, String sni) {
        return connects.decideBySni(client, connect, sni);
    }

    /**
     * A tunnel by name (noProxy, passthrough) relays the ClientHello and all after it over the
     * origin connection already open (through the parent, if the CONNECT's hop said so); a
     * denial by name closes the client, whose handshake cannot carry a 403.
     */
    @Override
    public void reroute(ChannelHandlerContext sniReader, RouteDecision decision, Flow flow, Channel origin) {
        Channel client = sniReader.channel();
        flow.mode(FlowMode.ofWord(decision.mode()));
        if (decision instanceof RouteDecision.Deny deny) {
            flow.status(deny.status())
                    .error(deny.reason() + " (by the TLS server name)")
                    .end();
            closeOrigin(origin);
            client.close();
            return;
        }
        if (origin == null) { // answered from the pool: no raw connection to relay over
            flow.error("the TLS server name asks for a blind tunnel; retry the CONNECT by that name")
                    .end();
            client.close();
            return;
        }
        tunnels.relay(client, origin, flow, Unpooled.EMPTY_BUFFER);
        owner.remove(sniReader); // hands the ClientHello it held to the relay
    }

    @Override
    public void swapInTls(ChannelHandlerContext sniReader, SslHandler tls) {
        owner.swapInInterceptTls(sniReader, tls);
    }

    /** The intercepted client's handshake is done: exchanges by the protocol it negotiated. */
    @Override
    public void established(Channel client, InterceptSession session) {
        InterceptedExchanges other = session.alpn() == null ? null : byAlpn.get(session.alpn());
        if (other != null) {
            other.install(client.pipeline(), session, context);
        } else {
            installHttp11(client, session);
        }
    }

    private void installHttp11(Channel client, InterceptSession session) {
        owner.installHttp(
                client.pipeline(), null, new ExchangeStage(context, new InterceptedRouting(session, context.flows())));
    }
}
