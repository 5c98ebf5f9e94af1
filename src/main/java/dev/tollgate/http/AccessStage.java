package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.net.Channels;
import dev.tollgate.net.RawResponses;
import dev.tollgate.policy.ProxyCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;

/**
 * The access stage of the proxy port, before any other work on a request: the client ACL,
 * then the proxy credentials (a stranger gets no bcrypt and no oracle). An admitted request
 * goes on to the forwarding stage; an admitted CONNECT to the {@link ConnectStage}.
 *
 * <p>A CONNECT leaves HTTP at once, before its credentials are checked: whatever the client
 * sends behind it is not HTTP, and left to the decoder while a check runs, a TLS ClientHello
 * sent early would be taken for a request and lost.
 */
public final class AccessStage extends ChannelInboundHandlerAdapter {
    private final HttpProxyContext context;
    private final ConnectStage connects;
    private final ConnectHandoff handoff;

    /** @param handoff who takes a CONNECT over once it is answered (the pipeline owner) */
    public AccessStage(HttpProxyContext context, ConnectStage connects, ConnectHandoff handoff) {
        this.context = context;
        this.connects = connects;
        this.handoff = handoff;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ctx.fireChannelRead(msg); // body parts of an admitted request
            return;
        }
        String refused = context.router()
                .get()
                .refusal(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
        if (refused != null) {
            Flow flow = flowOf(ctx, request).mode(FlowMode.DENY);
            answerAndClose(ctx, flow, ErrorResponses.of(ctx.alloc(), 403, refused, true), 403, refused, null);
            return;
        }
        // a malformed CONNECT stays HTTP: the forwarding stage answers it 400
        boolean connect = request.method().equals(HttpMethod.CONNECT)
                && request.decoderResult().isSuccess();
        ByteBuf early = connect ? context.pipeline().leaveHttp(ctx.channel()) : null;
        if (context.auth() == null) {
            admit(ctx, request, early);
            return;
        }
        Future<ProxyCredentials.Result> verdict =
                context.auth().check(request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION), ctx.executor());
        verdict.addListener((Future<ProxyCredentials.Result> f) -> {
            if (f.getNow() instanceof ProxyCredentials.Result.Denied denied) {
                askForCredentials(ctx, request, denied.reason(), early);
            } else if (ctx.channel().isActive()) {
                admit(ctx, request, early);
            } else {
                release(early);
                flowOf(ctx, request)
                        .error("client closed the connection while its credentials were checked")
                        .end();
            }
        });
    }

    private void admit(ChannelHandlerContext ctx, HttpRequest request, ByteBuf early) {
        if (early != null) {
            connects.start(ctx.channel(), request, early, handoff);
        } else {
            ctx.fireChannelRead(request);
        }
    }

    private void askForCredentials(ChannelHandlerContext ctx, HttpRequest request, String reason, ByteBuf early) {
        FullHttpResponse r = ErrorResponses.of(ctx.alloc(), 407, reason, true);
        r.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"tollgate\", charset=\"UTF-8\"");
        answerAndClose(ctx, flowOf(ctx, request).mode(FlowMode.DENY), r, 407, reason, early);
    }

    /** Once a CONNECT took the HTTP encoder away, the answer goes out as bytes. */
    private void answerAndClose(
            ChannelHandlerContext ctx, Flow flow, FullHttpResponse r, int status, String reason, ByteBuf early) {
        flow.status(status).error(reason);
        flow.end();
        release(early);
        Object out = early != null ? RawResponses.encode(r) : r;
        ctx.channel().writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    private Flow flowOf(ChannelHandlerContext ctx, HttpRequest request) {
        return context.flows()
                .open(Channels.addressOf(ctx.channel().remoteAddress()))
                .request(request.method().name(), request.uri());
    }

    private static void release(ByteBuf early) {
        if (early != null) {
            early.release();
        }
    }
}
