package dev.tollgate.intercept;

import dev.tollgate.ca.Leaf;
import dev.tollgate.flow.Flow;
import dev.tollgate.http.InterceptSession;
import dev.tollgate.route.Hop;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.upstream.Endpoint;
import dev.tollgate.upstream.UpstreamConnection;
import dev.tollgate.upstream.UpstreamException;
import dev.tollgate.upstream.UpstreamKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * Reads the client's ClientHello for its server name, then, without blocking the event loop:
 * connects to the origin over verified TLS (to learn its certificate's names and to fail early
 * on a bad one), forges or reuses a leaf for the name plus the origin's DNS names, and only
 * then completes the client's handshake with it. The origin connection waits in the pool for
 * the first request.
 */
public final class LeafSniHandler extends AbstractSniHandler<SslContext> {
    private final InterceptServices services;
    private final RouteDecision.Intercept decision;
    private final Flow flow;
    private final Channel origin;
    private final InterceptedTls steps;
    private String serverName;
    private String upstreamFailure;
    private String noProxyAdvice;
    private String verifyError;
    private int failureStatus;
    private boolean failed;
    private RouteDecision rerouted;
    private boolean originH2;
    private boolean clientOffersH2;

    /**
     * @param origin the TCP connection the CONNECT stage opened to the target (its TLS starts once
     *     the ClientHello named the server), or null to open a new one
     * @param steps the pipeline owner: swaps the TLS handler in, then installs what runs inside
     */
    public LeafSniHandler(
            InterceptServices services,
            RouteDecision.Intercept decision,
            Flow flow,
            Channel origin,
            InterceptedTls steps) {
        super(services.handshakeTimeout().toMillis());
        this.services = services;
        this.decision = decision;
        this.flow = flow;
        this.origin = origin;
        this.steps = steps;
    }

    /** Notes the client's ALPN offer before Netty reads the server name out of the same hello. */
    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
        clientOffersH2 = ClientHelloAlpn.offersH2(clientHello);
        return super.lookup(ctx, clientHello);
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String sni) {
        serverName = sni != null ? sni : decision.target().host();
        flow.tls().sni(sni);
        if (sni != null && !sni.equalsIgnoreCase(decision.target().host())) {
            RouteDecision bySni = steps.decideBySni(ctx.channel(), decision, sni);
            if (!(bySni instanceof RouteDecision.Intercept)) {
                rerouted = bySni;
                return ctx.executor().newSucceededFuture(null);
            }
        }
        EventLoop loop = ctx.channel().eventLoop();
        Promise<SslContext> promise = loop.newPromise();
        Future<UpstreamConnection> upstream = origin != null && origin.isActive()
                ? services.upstream().adopt(origin, upstreamKey())
                : services.upstream().lease(loop, upstreamKey());
        upstream.addListener((Future<UpstreamConnection> f) -> {
            List<String> originNames = List.of();
            if (f.isSuccess()) {
                UpstreamConnection c = f.getNow();
                originNames = OriginNames.dnsNames(c.tlsSession());
                originH2 = "h2".equals(c.protocol()); // the client is offered h2 only when the origin chose it
                services.upstream().release(c);
            } else {
                noteUpstreamFailure(f.cause());
            }
            forge(loop, originNames, promise);
        });
        return promise;
    }

    private UpstreamKey upstreamKey() {
        Endpoint target =
                new Endpoint(decision.target().host(), decision.target().port());
        Endpoint parent = decision.hop() instanceof Hop.ViaParent p
                ? new Endpoint(p.parent().host(), p.parent().port())
                : null;
        UpstreamKey key = new UpstreamKey(target, parent, serverName);
        // h2 toward the origin only for a client that may speak it (ForwardExchange keys the same way)
        return clientOffersH2 ? key : key.forHttp1Client();
    }

    private void noteUpstreamFailure(Throwable cause) {
        upstreamFailure = cause instanceof UpstreamException
                ? cause.getMessage()
                : "cannot reach " + decision.target() + ": " + cause;
        failureStatus = cause instanceof UpstreamException u ? u.kind().status : 502;
        noProxyAdvice = cause instanceof UpstreamException u ? u.noProxyAdvice() : null;
        if (cause instanceof UpstreamException u && u.kind() == UpstreamException.Kind.TLS) {
            verifyError = cause.getMessage();
        }
    }

    /** Forging runs on the CA's executor; the result comes back to the event loop. */
    private void forge(EventLoop loop, List<String> originNames, Promise<SslContext> promise) {
        services.leaves().leafFor(serverName, originNames).whenComplete((Leaf leaf, Throwable error) -> {
            SslContext context = null;
            Throwable failure = error;
            if (failure == null) {
                try {
                    context = services.contexts().serverContext(leaf, originH2); // on the forging thread, not the loop
                } catch (Exception e) {
                    failure = e;
                }
            }
            SslContext ready = context;
            Throwable failed = failure;
            loop.execute(() -> {
                if (failed != null) {
                    promise.tryFailure(failed);
                } else {
                    promise.trySuccess(ready);
                }
            });
        });
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String sni, Future<SslContext> future) {
        if (!ctx.channel().isActive()) {
            return; // the client left while we forged; channelInactive logged it
        }
        if (rerouted != null) {
            failed = true; // the new route owns the flow from here
            steps.reroute(ctx, rerouted, flow, origin);
            return;
        }
        if (!future.isSuccess()) {
            fail(
                    ctx,
                    "cannot forge a certificate for " + serverName + ": "
                            + future.cause().getMessage());
            return;
        }
        SslHandler tls = future.getNow().newHandler(ctx.alloc());
        tls.setHandshakeTimeoutMillis(services.handshakeTimeout().toMillis());
        steps.swapInTls(ctx, tls);
        tls.handshakeFuture().addListener(hf -> {
            if (hf.isSuccess()) {
                steps.established(ctx.channel(), session(tls));
            } else {
                String reason = ClientHandshakeFailures.describe(hf.cause(), ClientHandshakeFailures.FORGED_LEAF);
                if (ClientHandshakeFailures.rejected(hf.cause())) {
                    services.autoPassthrough()
                            .rejected(serverName, decision.target().port(), flow.client() + ": " + reason);
                }
                fail(ctx, reason);
            }
        });
    }

    private InterceptSession session(SslHandler tls) {
        SSLSession s = tls.engine().getSession();
        return new InterceptSession(
                decision,
                serverName,
                flow.tls().sni(),
                s.getProtocol(),
                s.getCipherSuite(),
                tls.applicationProtocol(),
                upstreamFailure,
                failureStatus,
                verifyError,
                noProxyAdvice);
    }

    /** A client that closes outright before the handshake could finish still leaves a flow. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!failed) {
            fail(ctx, "client closed the connection before the TLS handshake finished");
        }
        super.channelInactive(ctx);
    }

    /** The client left before its ClientHello was whole: nothing will follow. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            fail(ctx, "client closed the connection before its TLS ClientHello was complete");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** A CONNECT that never got to a request still leaves one flow saying why. */
    private void fail(ChannelHandlerContext ctx, String reason) {
        if (failed) {
            return;
        }
        failed = true;
        flow.error(reason);
        if (verifyError != null) {
            flow.tls().verifyError(verifyError);
        }
        flow.end();
        ctx.close();
    }
}
