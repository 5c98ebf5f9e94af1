package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.net.Channels;
import dev.tollgate.policy.ProxyCredentials;
import io.netty.util.concurrent.Future;
import dev.tollgate.net.Drain;
import dev.tollgate.net.Leftovers;
import dev.tollgate.net.ReadGate;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.net.RawResponses;
import dev.tollgate.route.Hop;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Target;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The client side of HTTP on one connection: takes decoded requests one at a time (AUTO_READ
 * off, one message per read through a ReadGate), routes each, and runs one
 * {@link ForwardExchange} at a time, so pipelined requests are answered in order.
 */
public final class HttpProxyFrontend extends ChannelInboundHandlerAdapter {
    private final HttpProxyContext context;
    private final InterceptSession intercepted;
    private ChannelHandlerContext ctx;
    private RequestHeadTimer headTimer;
    private ForwardExchange exchange;
    private boolean inputClosed;
    private boolean requestSeen;
    /**
     * Once a CONNECT took the HTTP handlers (this one among them) off the pipeline: the bytes
     * its client sent behind it, owned here until the tunnel takes them.
     */
    private ByteBuf connectLeftovers;

    /**
     * @param intercepted the CONNECT this connection is the decrypted inside of, or null for a
     *     connection to the proxy port itself
     */
    public HttpProxyFrontend(HttpProxyContext context, InterceptSession intercepted) {
        this.context = context;
        this.intercepted = intercepted;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.headTimer = ctx.pipeline().get(RequestHeadTimer.class);
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            onRequest(request);
        } else if (msg instanceof HttpContent content && exchange != null) {
            exchange.onRequestContent(content);
        } else {
            ReferenceCountUtil.release(msg);
            if (exchange == null && ctx.channel().isActive()) {
                ctx.read(); // the tail of a request already answered: skip it
            }
        }
    }

    private void onRequest(HttpRequest request) {
        requestSeen = true;
        if (headTimer != null) {
            headTimer.headArrived();
        }
        Flow flow = context.flows().open(clientAddress());
        flow.request(request.method().name(), request.uri());
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            rejectMalformed(flow, decoded.cause());
            return;
        }
        RequestChecks.Refusal refusal = RequestChecks.check(request, context.maxHeaderCount());
        if (refusal != null) {
            reject(flow, refusal.status(), refusal.reason());
            return;
        }
        String refused = intercepted == null ? context.router().get().refusal(clientInet()) : null;
        if (refused != null) {
            reject(flow.mode(FlowMode.DENY), 403, refused); // before credentials: a stranger gets no bcrypt and no oracle
            return;
        }
        if (context.auth() == null || intercepted != null) {
            route(request, flow); // inside an intercepted CONNECT the CONNECT itself was authenticated
            return;
        }
        Future<ProxyCredentials.Result> verdict =
                context.auth().check(request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION), ctx.executor());
        if (!verdict.isDone() && request.method().equals(HttpMethod.CONNECT)) {
            // Whatever follows a CONNECT is not HTTP: left to the decoder while the check runs,
            // a TLS ClientHello sent early would be taken for a request and lost.
            stripHttp();
        }
        verdict.addListener((Future<ProxyCredentials.Result> f) -> {
            if (f.getNow() instanceof ProxyCredentials.Result.Denied denied) {
                askForCredentials(flow, denied.reason());
            } else if (ctx.channel().isActive()) {
                route(request, flow);
            } else {
                releaseLeftovers();
                flow.error("client closed the connection while its credentials were checked").end();
            }
        });
    }

    private void stripHttp() {
        connectLeftovers = Leftovers.strip(ctx.pipeline(), PipelineNames.FRONTEND, PipelineNames.READ_GATE,
                PipelineNames.HTTP_CODEC, PipelineNames.IDLE, PipelineNames.HEAD_TIMER);
    }

    private void releaseLeftovers() {
        if (connectLeftovers != null) {
            connectLeftovers.release();
            connectLeftovers = null;
        }
    }

    private void route(HttpRequest request, Flow flow) {
        if (request.method().equals(HttpMethod.CONNECT)) {
            onConnect(request, flow);
            return;
        }
        RouteDecision decision;
        RequestTarget target;
        try {
            target = targetOf(request);
            if (target == null) {
                answerLocally(request, flow);
                return;
            }
            decision = intercepted != null ? intercepted.decision()
                    : context.router().get().decideForward(clientInet(), target.target());
        } catch (IllegalArgumentException e) {
            reject(flow, 400, e.getMessage());
            return;
        }
        flow.request(request.method().name(), target.absolute()).mode(FlowMode.ofWord(decision.mode()));
        if (intercepted != null) {
            intercepted.stamp(flow);
            if (intercepted.upstreamFailure() != null) {
                reject(flow.mode(intercepted.failureStatus() == 403 ? FlowMode.DENY : FlowMode.INTERCEPT),
                        intercepted.failureStatus(), intercepted.upstreamFailure());
                return;
            }
        }
        if (decision instanceof RouteDecision.Deny deny) {
            reject(flow, deny.status(), deny.reason());
            return;
        }
        if (decision instanceof RouteDecision.Local) {
            answerLocally(request, flow);
            return;
        }
        Hop hop = decision instanceof RouteDecision.Forward f ? f.hop() : intercepted.hop();
        exchange = new ForwardExchange(this, context, request, target, hop, flow);
        exchange.start();
    }

    /** Null for an origin-form request to the proxy itself. */
    private RequestTarget targetOf(HttpRequest request) {
        String uri = request.uri();
        if (intercepted == null) {
            return uri.startsWith("/") ? null : RequestTarget.parseAbsolute(uri);
        }
        if (uri.startsWith("/")) {
            return RequestTarget.inside(intercepted, uri, request.headers().get(HttpHeaderNames.HOST));
        }
        RequestTarget absolute = RequestTarget.parseAbsolute(uri);
        return RequestTarget.inside(intercepted, absolute.originForm(), absolute.host());
    }

    private void onConnect(HttpRequest request, Flow flow) {
        flow.request("CONNECT", request.uri());
        if (intercepted != null) {
            reject(flow, 400, "CONNECT inside an intercepted connection is not supported");
            return;
        }
        RouteDecision decision;
        try {
            Target target = Target.parseAuthority(request.uri(), -1);
            flow.request("CONNECT", target.authority());
            decision = context.router().get().decideConnect(clientInet(), target);
        } catch (IllegalArgumentException e) {
            reject(flow, 400, "bad CONNECT target: " + e.getMessage());
            return;
        }
        flow.mode(FlowMode.ofWord(decision.mode()));
        if (decision instanceof RouteDecision.Deny deny) {
            reject(flow, deny.status(), deny.reason());
            return;
        }
        if (!ctx.isRemoved()) {
            stripHttp();
        }
        ByteBuf early = connectLeftovers;
        connectLeftovers = null;
        context.connect().start(ctx.channel(), decision, flow, early);
    }

    private void answerLocally(HttpRequest request, Flow flow) {
        String refusal = context.router().get().refusal(clientInet());
        if (refusal != null) {
            reject(flow.mode(FlowMode.DENY), 403, refusal);
            return;
        }
        FullHttpResponse response = context.local().respond(ctx.alloc(), request);
        flow.mode(FlowMode.LOCAL).status(response.status().code());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        flow.end();
        ctx.writeAndFlush(response);
        exchangeDone(keepAlive);
    }

    private void rejectMalformed(Flow flow, Throwable cause) {
        int status = cause instanceof TooLongHttpLineException ? 414
                : cause instanceof TooLongHttpHeaderException ? 431
                : 400;
        String reason = cause instanceof TooLongFrameException ? cause.getMessage()
                : "malformed request: " + cause.getMessage();
        reject(flow, status, reason);
    }

    private void askForCredentials(Flow flow, String reason) {
        flow.mode(FlowMode.DENY).status(407).error(reason);
        flow.end();
        FullHttpResponse r = ErrorResponses.of(ctx.alloc(), 407, reason, true);
        r.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"tollgate\", charset=\"UTF-8\"");
        answerAndClose(r);
    }

    /** Answers with an error and closes: the rest of the connection's bytes can't be trusted. */
    private void reject(Flow flow, int status, String reason) {
        flow.status(status).error(reason);
        flow.end();
        answerAndClose(ErrorResponses.of(ctx.alloc(), status, reason, true));
    }

    /** Once a CONNECT took the HTTP encoder away, the answer goes out as bytes. */
    private void answerAndClose(FullHttpResponse r) {
        releaseLeftovers();
        Object out = ctx.isRemoved() ? RawResponses.encode(r) : r;
        ctx.channel().writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- called by the exchange ----

    void readClient() {
        ctx.read();
    }

    void write(Object msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    void flush() {
        ctx.flush();
    }

    boolean clientWritable() {
        return ctx.channel().isWritable();
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    void exchangeDone(boolean keepAlive) {
        exchange = null;
        if (keepAlive && !inputClosed && ctx.channel().isActive()) {
            if (headTimer != null) {
                headTimer.expectHead();
            }
            ctx.read();
        } else {
            Channels.closeOnFlush(ctx.channel());
        }
    }

    // ---- channel events ----

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent || evt == Drain.EVENT) {
            inputClosed = true;
            if (exchange == null) {
                Channels.closeOnFlush(ctx.channel());
            } else if (evt instanceof ChannelInputShutdownEvent && !exchange.requestComplete()) {
                // the client stopped sending mid-request: this body will never be whole
                exchange.onClientClosed(null);
                exchange = null;
                ctx.close();
            }
        } else if (evt instanceof IdleStateEvent) {
            if (exchange != null) {
                exchange.onIdle();
            } else {
                ctx.close();
            }
        } else if (evt == ReadGate.OVERFLOW) {
            Flow flow = context.flows().open(clientAddress()).mode(FlowMode.DENY).status(429)
                    .error("more pipelined requests queued than limits.maxPipelined allows; connection closed");
            flow.end();
            if (exchange != null) {
                exchange.onClientClosed(null);
                exchange = null;
            }
            ctx.close();
        } else if (evt == RequestHeadTimer.EXPIRED && exchange == null) {
            Flow flow = context.flows().open(clientAddress()).mode(FlowMode.DENY);
            reject(flow, 408, "the request head did not arrive within " + headTimer.timeout().toSeconds() + "s");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientClosed(null);
            exchange = null;
        }
        if (intercepted != null && !requestSeen) {
            logEmptyIntercept();
        }
        ctx.fireChannelInactive();
    }

    /** An intercepted CONNECT whose client never sent a request inside still happened: one flow says so. */
    private void logEmptyIntercept() {
        Flow flow = context.flows().open(clientAddress()).request("CONNECT", intercepted.target().authority());
        intercepted.stamp(flow);
        flow.error(intercepted.upstreamFailure() != null ? intercepted.upstreamFailure()
                : "the client closed the tunnel without sending a request inside it");
        flow.end();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (exchange != null) {
            exchange.onClientClosed(cause);
            exchange = null;
        }
        ctx.close();
    }

    private String clientAddress() {
        return Channels.addressOf(ctx.channel().remoteAddress());
    }

    private java.net.InetAddress clientInet() {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }
}
