package dev.tollgate.admin;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks access, then hands the request to its endpoint; one instance serves every connection. */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminAccess access;
    private final AdminRoutes routes;

    AdminHandler(AdminAccess access, AdminRoutes routes) {
        this.access = access;
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        AdminExchange x = new AdminExchange(ctx, request);
        if (!request.decoderResult().isSuccess()) {
            x.text(400, "bad request: " + request.decoderResult().cause().getMessage() + "\n");
            return;
        }
        AdminAccess.Refusal refusal = access.check(request, x.path());
        if (refusal != null) {
            refuse(x, refusal);
            return;
        }
        Endpoint e = routes.find(request.method().name(), x.path());
        if (e == null) {
            x.text(
                    routes.knows(x.path()) ? 405 : 404,
                    (routes.knows(x.path()) ? "method not allowed: " : "not found: ") + x.path() + "\n");
            return;
        }
        try {
            e.serve(x);
        } catch (IllegalArgumentException bad) {
            x.text(400, bad.getMessage() + "\n");
        } catch (Exception failed) {
            LOG.warn("admin {} failed", x.path(), failed);
            x.text(500, "failed: " + failed.getMessage() + "\n");
        }
    }

    /** The page gets the login form; API clients get the reason as text. */
    private void refuse(AdminExchange x, AdminAccess.Refusal r) {
        String accept = x.request().headers().get(HttpHeaderNames.ACCEPT, "");
        if (r.status() == 401 && accept.contains("text/html")) {
            x.html(401, LoginPage.form(null));
        } else {
            x.text(r.status(), r.reason() + "\n");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
