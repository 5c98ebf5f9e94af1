package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.net.Channels;
import dev.tollgate.net.Drain;
import dev.tollgate.net.ReadGate;
import dev.tollgate.net.Via;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The forwarding stage of an HTTP/1.1 connection: takes decoded requests one at a time
 * (AUTO_READ off, one message per read through a ReadGate), asks its {@link RequestRouting}
 * where each goes, and runs one {@link ForwardExchange} at a time, so pipelined requests are
 * answered in order. Access checks and CONNECT happen before it, in {@link AccessStage}.
 */
public final class ExchangeStage extends ChannelInboundHandlerAdapter {
    private final HttpProxyContext context;
    private final RequestRouting routing;
    private ChannelHandlerContext ctx;
    private RequestHeadTimer headTimer;
    private ForwardExchange exchange;
    private boolean inputClosed;
    private boolean requestSeen;

    public ExchangeStage(HttpProxyContext context, RequestRouting routing) {
        this.context = context;
        this.routing = routing;
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
        Flow flow = context.flows()
                .open(Channels.addressOf(ctx.channel().remoteAddress()))
                .via(Via.of(ctx.channel()));
        StreamFacts.clientLeg(flow, ctx.channel());
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
        RequestRouting.Route route = routing.route(ctx.channel(), request, flow);
        if (route instanceof RequestRouting.Route.Refuse r) {
            reject(flow, r.status(), r.reason());
        } else if (route instanceof RequestRouting.Route.Local) {
            answerLocally(request, flow);
        } else if (route instanceof RequestRouting.Route.Relay relay) {
            exchange = new ForwardExchange(this, context, request, relay.target(), relay.hop(), flow);
            exchange.start();
        }
    }

    private void answerLocally(HttpRequest request, Flow flow) {
        FullHttpResponse response =
                context.local().respond(ctx.alloc(), request, ctx.channel().localAddress());
        flow.mode(FlowMode.LOCAL).status(response.status().code());
        flow.addBytesDown(response.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        flow.end();
        ctx.writeAndFlush(response);
        exchangeDone(keepAlive);
    }

    private void rejectMalformed(Flow flow, Throwable cause) {
        int status = cause instanceof TooLongHttpLineException
                ? 414
                : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        String reason = cause instanceof TooLongFrameException
                ? cause.getMessage()
                : "malformed request: " + cause.getMessage();
        reject(flow, status, reason);
    }

    /** Answers with an error and closes: the rest of the connection's bytes can't be trusted. */
    private void reject(Flow flow, int status, String reason) {
        flow.status(status).error(reason);
        flow.end();
        ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), status, reason, true))
                .addListener(ChannelFutureListener.CLOSE);
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
                endExchange();
                ctx.close();
            }
        } else if (evt instanceof IdleStateEvent) {
            if (exchange != null) {
                exchange.onIdle();
            } else {
                ctx.close();
            }
        } else if (evt == ReadGate.OVERFLOW) {
            Flow flow = context.flows()
                    .open(Channels.addressOf(ctx.channel().remoteAddress()))
                    .via(Via.of(ctx.channel()))
                    .mode(FlowMode.DENY)
                    .status(429)
                    .error("more pipelined requests queued than limits.maxPipelined allows; connection closed");
            flow.end();
            endExchange();
            ctx.close();
        } else if (evt == RequestHeadTimer.EXPIRED && exchange == null) {
            Flow flow = context.flows()
                    .open(Channels.addressOf(ctx.channel().remoteAddress()))
                    .via(Via.of(ctx.channel()))
                    .mode(FlowMode.DENY);
            reject(
                    flow,
                    408,
                    "the request head did not arrive within "
                            + headTimer.timeout().toSeconds() + "s");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void endExchange() {
        if (exchange != null) {
            exchange.onClientClosed(null);
            exchange = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endExchange();
        if (!requestSeen) {
            routing.closedWithoutRequest(ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    /** A client connection failing mid-exchange is an expected network event: the flow says so. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (exchange != null) {
            exchange.onClientClosed(cause);
            exchange = null;
        }
        ctx.close();
    }
}
