package dev.tollgate.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One admin request and the ways to answer it; every answer carries the same safety headers. */
public final class AdminExchange {
    static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'";

    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final QueryStringDecoder uri;

    AdminExchange(ChannelHandlerContext ctx, FullHttpRequest request) {
        this.ctx = ctx;
        this.request = request;
        this.uri = new QueryStringDecoder(request.uri());
    }

    public ChannelHandlerContext ctx() {
        return ctx;
    }

    public FullHttpRequest request() {
        return request;
    }

    public String path() {
        return uri.path();
    }

    /** The first value of each query parameter. */
    public Map<String, String> query() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : uri.parameters().entrySet()) {
            out.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
        }
        return out;
    }

    public void text(int status, String body) {
        send(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public void html(int status, String body) {
        send(status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public void send(int status, String contentType, byte[] body) {
        send(status, contentType, body, null);
    }

    /** @param disposition a Content-Disposition value (downloads), or null */
    public void send(int status, String contentType, byte[] body, String disposition) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        FullHttpResponse r = response(
                HttpResponseStatus.valueOf(status), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length); // a HEAD answer tells the GET's length
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (disposition != null) {
            r.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, disposition);
        }
        write(r);
    }

    public void redirect(String location, String setCookie) {
        FullHttpResponse r = response(HttpResponseStatus.SEE_OTHER, Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        if (setCookie != null) {
            r.headers().set(HttpHeaderNames.SET_COOKIE, setCookie);
        }
        write(r);
    }

    private FullHttpResponse response(HttpResponseStatus status, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        secure(r.headers());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }

    static void secure(HttpHeaders h) {
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("Content-Security-Policy", CSP)
                .set("X-Content-Type-Options", "nosniff")
                // not no-referrer: under it Chrome sends "Origin: null" with the login form, which SameOrigin refuses
                .set("Referrer-Policy", "same-origin");
    }

    private void write(FullHttpResponse r) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(r, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
