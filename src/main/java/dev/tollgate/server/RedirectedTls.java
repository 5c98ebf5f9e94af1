package dev.tollgate.server;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.http.InterceptSession;
import dev.tollgate.intercept.InterceptedTls;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Target;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;

/**
 * TLS on a redirected connection: as inside a CONNECT, except that a server name which turns
 * the route into a blind tunnel (noProxy, passthrough) must first pass {@link RedirectedName}
 * against the original destination. An intercepted name needs no such check: the origin's
 * certificate is verified for that name, at that address. Without it, a client could name any
 * bypassed host in its ClientHello to get an uninspected tunnel to any address.
 */
final class RedirectedTls implements InterceptedTls {
    private final InterceptedTls steps;
    private final RedirectedName names;
    private final InetSocketAddress destination;

    RedirectedTls(InterceptedTls steps, RedirectedName names, InetSocketAddress destination) {
        this.steps = steps;
        this.names = names;
        this.destination = destination;
    }

    @Override
    public RouteDecision decideBySni(Channel client, RouteDecision.Intercept connect, String sni) {
        return steps.decideBySni(client, connect, sni);
    }

    @Override
    public void reroute(ChannelHandlerContext sniReader, RouteDecision decision, Flow flow, Channel origin) {
        String sni = flow.tls().sni();
        if (!(decision instanceof RouteDecision.Tunnel) || sni == null) {
            steps.reroute(sniReader, decision, flow, origin);
            return;
        }
        Channel client = sniReader.channel();
        names.check(
                        "TLS server name",
                        ((InetSocketAddress) client.remoteAddress()).getAddress(),
                        new Target(decision.target().host(), destination.getPort()),
                        destination.getAddress(),
                        sniReader.executor())
                .addListener((Future<RedirectedName.Refusal> f) -> {
                    RedirectedName.Refusal refusal = f.getNow();
                    if (refusal == null && client.isActive()) {
                        steps.reroute(sniReader, decision, flow, origin);
                        return;
                    }
                    flow.mode(FlowMode.DENY);
                    if (refusal != null) {
                        flow.status(refusal.status()).error(refusal.reason());
                    } else {
                        flow.error("client closed while its TLS server name was checked");
                    }
                    flow.end();
                    if (origin != null) {
                        origin.close();
                    }
                    client.close();
                });
    }

    @Override
    public void swapInTls(ChannelHandlerContext sniReader, SslHandler tls) {
        steps.swapInTls(sniReader, tls);
    }

    @Override
    public void established(Channel client, InterceptSession session) {
        steps.established(client, session);
    }
}
