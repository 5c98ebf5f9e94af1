package dev.tollgate.server;

import dev.tollgate.flow.Flow;
import dev.tollgate.http.AccessStage;
import dev.tollgate.http.ConnectHandoff;
import dev.tollgate.http.ConnectStage;
import dev.tollgate.http.ExchangeStage;
import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.http.ProxyPortRouting;
import dev.tollgate.intercept.ClientHandshakeFailures;
import dev.tollgate.intercept.InterceptServices;
import dev.tollgate.net.Channels;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.tunnel.BlindTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.Map;

/**
 * What runs next on a client connection, decided from what its first bytes say (the shape of
 * mitmproxy's next_layer and Netty's port unification), in one place:
 *
 * <pre>
 * proxy port      TLS → TLS to the proxy, classify again; HTTP (or other: a 400) → access, exchanges
 * behind TLS      HTTP (or other) → access, exchanges
 * CONNECT 200     tunnel or bypass → blind relay; intercept → classify inside:
 * inside CONNECT  TLS → forged leaf, then exchanges by ALPN (HTTP/1.1 built in, h2 pluggable);
 *                 HTTP → exchanges; other, silence, or the origin speaking first → blind relay
 * </pre>
 *
 * A redirected (transparent) connection enters as a CONNECT to its original destination would
 * ({@link #redirected}, from {@link RedirectedEntry}). A new protocol is one new branch: h2 or another ALPN protocol
 * inside interception in {@link InsideConnect}, which runs the inside of an intercepted CONNECT.
 */
final class NextLayer implements ConnectHandoff {
    private final PipelineOwner owner;
    private final HttpProxyContext context;
    private final ConnectStage connects;
    private final ProxyPortRouting proxyPortRouting;
    private final ProxyTls proxyTls;
    private final BlindTunnel tunnels;
    private final InsideConnect inside;
    private final Duration requestHead;

    /**
     * @param proxyTls TLS to the proxy itself, or null without a CA
     * @param intercept interception, or null without a CA (the router then never intercepts)
     * @param byAlpn exchange installers for ALPN protocols other than HTTP/1.1
     */
    NextLayer(
            PipelineOwner owner,
            HttpProxyContext context,
            ProxyTls proxyTls,
            InterceptServices intercept,
            Map<String, InterceptedExchanges> byAlpn,
            Duration requestHead,
            Duration clientFirstByte) {
        this.owner = owner;
        this.context = context;
        this.connects = new ConnectStage(context);
        this.proxyPortRouting = new ProxyPortRouting(context.router());
        this.proxyTls = proxyTls;
        this.tunnels = new BlindTunnel(owner, context.flows());
        this.inside = new InsideConnect(owner, context, connects, intercept, tunnels, byAlpn, clientFirstByte);
        this.requestHead = requestHead;
    }

    /** A connection accepted on the proxy port. */
    void accepted(Channel client) {
        owner.accept(client, this::onProxyPort);
    }

    private void onProxyPort(ChannelHandlerContext ctx, FirstBytes.Protocol found) {
        switch (found) {
            case TLS -> tlsToProxy(ctx);
            case HTTP, OTHER -> httpOnProxyPort(ctx.channel());
            default -> ctx.close(); // silent (a port probe, an idle dialer) or gone
        }
    }

    private void tlsToProxy(ChannelHandlerContext ctx) {
        if (proxyTls == null) {
            ctx.close(); // no CA to make the proxy's own certificate: TLS to the proxy is off
            return;
        }
        SslHandler tls = proxyTls.newHandler(ctx.alloc());
        Channel client = ctx.channel();
        tls.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                context.flows()
                        .open(Channels.addressOf(client.remoteAddress()))
                        .error(ClientHandshakeFailures.describe(f.cause(), ClientHandshakeFailures.PROXY_CERTIFICATE))
                        .end();
            }
        });
        owner.replaceWithProxyTls(ctx, tls);
        owner.classify(client.pipeline(), requestHead, (inner, found) -> {
            if (found == FirstBytes.Protocol.HTTP || found == FirstBytes.Protocol.OTHER) {
                httpOnProxyPort(inner.channel());
            } else {
                inner.close();
            }
        });
    }

    private void httpOnProxyPort(Channel client) {
        owner.installHttp(
                client.pipeline(),
                new AccessStage(context, connects, this),
                new ExchangeStage(context, proxyPortRouting));
    }

    /**
     * A redirected connection whose original destination is connected: what a CONNECT to it
     * would get, without the 200 (the client never asked the proxy).
     */
    void redirected(Channel client, RouteDecision decision, Flow flow, Channel origin, RedirectedChecks checks) {
        if (decision instanceof RouteDecision.Intercept i) {
            inside.start(client, i, flow, Unpooled.EMPTY_BUFFER, origin, checks);
        } else {
            tunnels.relay(client, origin, flow, Unpooled.EMPTY_BUFFER);
        }
    }

    /** A CONNECT was answered 200 over an open origin connection. */
    @Override
    public void accepted(Channel client, RouteDecision decision, Flow flow, ByteBuf early, Channel origin) {
        if (decision instanceof RouteDecision.Intercept i) {
            inside.start(client, i, flow, early, origin);
        } else {
            tunnels.relay(client, origin, flow, early);
        }
    }
}
