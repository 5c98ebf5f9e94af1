package dev.tollgate.server;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.Flows;
import dev.tollgate.http.ErrorResponses;
import dev.tollgate.net.Channels;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.net.Via;
import dev.tollgate.route.Target;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Plain HTTP on a redirected connection: each request's Host header is checked by
 * {@link RedirectedName} before the exchange stage sees it. A request (and whatever follows it)
 * waits while the name is resolved; a name that passed once on this connection is not resolved
 * again. A refused request is answered with the status and reason, has its own flow, and the
 * connection closes.
 */
final class RedirectedHostCheck extends ChannelInboundHandlerAdapter {
    private final RedirectedName names;
    private final Flows flows;
    private final InetAddress destination;
    private final int port;
    private final Set<String> passed = new HashSet<>();
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean checking;
    private boolean refused;

    RedirectedHostCheck(RedirectedName names, Flows flows, InetSocketAddress destination) {
        this.names = names;
        this.flows = flows;
        this.destination = destination.getAddress();
        this.port = destination.getPort();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
        } else if (checking) {
            held.add(msg);
        } else if (msg instanceof HttpRequest request) {
            check(ctx, request);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void check(ChannelHandlerContext ctx, HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        Target name;
        try {
            name = host == null || host.isBlank()
                    ? new Target(destination.getHostAddress(), port)
                    : Target.parseAuthority(host, port);
        } catch (IllegalArgumentException e) {
            refuse(ctx, request, 400, "bad Host header: " + e.getMessage());
            return;
        }
        if (passed.contains(name.authority())) {
            ctx.fireChannelRead(request);
            return;
        }
        checking = true;
        InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        names.check("Host header", client, name, destination, ctx.executor())
                .addListener((Future<RedirectedName.Refusal> f) -> {
                    checking = false;
                    if (ctx.isRemoved()) { // the client left while the name was resolved
                        ReferenceCountUtil.release(request);
                        return;
                    }
                    RedirectedName.Refusal refusal = f.getNow();
                    if (refusal != null) {
                        refuse(ctx, request, refusal.status(), refusal.reason());
                        return;
                    }
                    passed.add(name.authority());
                    ctx.fireChannelRead(request);
                    while (!held.isEmpty() && !checking && !refused) {
                        channelRead(ctx, held.poll());
                    }
                    ctx.fireChannelReadComplete();
                });
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest request, int status, String reason) {
        refused = true;
        String host = request.headers().get(HttpHeaderNames.HOST);
        flows.open(Channels.addressOf(ctx.channel().remoteAddress()))
                .via(Via.of(ctx.channel()))
                .request(request.method().name(), "http://" + (host == null ? "-" : host) + request.uri())
                .mode(FlowMode.DENY)
                .status(status)
                .error(reason)
                .end();
        ReferenceCountUtil.release(request);
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        // this flow is the connection's only one: the exchange stage must not add "closed without a request"
        Channels.removeIfPresent(ctx.pipeline(), PipelineNames.EXCHANGES);
        ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), status, reason, true))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }
}
