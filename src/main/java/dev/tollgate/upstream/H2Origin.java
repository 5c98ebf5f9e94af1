package dev.tollgate.upstream;

import dev.tollgate.http2.H2Codecs;
import dev.tollgate.http2.StreamMessages;
import dev.tollgate.http2.StreamResets;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection to an origin, shared by the exchanges of one event loop: a lease is a
 * new stream on it, whose pipeline speaks HttpObjects to the same {@link UpstreamHttpHandler}
 * an HTTP/1.1 connection has, so the exchange does not know the difference. Isolation between
 * clients holds because a stream carries only its own request's headers (the proxy adds no
 * credentials of its own) and credentials are never HPACK-indexed ({@link H2Codecs}).
 */
final class H2Origin extends ChannelInboundHandlerAdapter {
    private final Channel channel;
    private final UpstreamKey key;
    private final String remote;
    private final boolean unverified;
    private final long idleNanos;
    private final Http2FrameCodec codec;
    private int streams;
    private boolean retired;
    private ScheduledFuture<?> idleClose;

    private H2Origin(Channel channel, UpstreamKey key, String remote, boolean unverified, Duration idleTtl) {
        this.channel = channel;
        this.key = key;
        this.remote = remote;
        this.unverified = unverified;
        this.idleNanos = idleTtl.toNanos();
        this.codec = H2Codecs.originFacing();
    }

    /** Turns a connection whose handshake chose h2 into a shared one; reads from now on run freely. */
    static H2Origin adopt(Channel ch, UpstreamKey key, String remote, boolean unverified, Duration idleTtl) {
        H2Origin origin = new H2Origin(ch, key, remote, unverified, idleTtl);
        ch.pipeline()
                .addBefore(OriginProtocol.NAME, "h2-codec", origin.codec)
                .addBefore(OriginProtocol.NAME, "h2-streams", new Http2MultiplexHandler(new RefusePush()))
                .addBefore(OriginProtocol.NAME, "h2-origin", origin)
                .remove(OriginProtocol.NAME);
        // per-stream flow control (WINDOW_UPDATE as each exchange consumes) bounds what is buffered
        ch.config().setAutoRead(true);
        origin.armIdleClose();
        return origin;
    }

    UpstreamKey key() {
        return key;
    }

    Channel channel() {
        return channel;
    }

    /** Room for one more stream, by the origin's SETTINGS_MAX_CONCURRENT_STREAMS. */
    boolean usable() {
        return !retired
                && channel.isActive()
                && streams < codec.connection().local().maxActiveStreams();
    }

    Future<UpstreamConnection> openStream() {
        Promise<UpstreamConnection> promise = channel.eventLoop().newPromise();
        streams++;
        if (idleClose != null) {
            idleClose.cancel(false);
            idleClose = null;
        }
        UpstreamHttpHandler handler = new UpstreamHttpHandler();
        new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.config().setAutoRead(false);
                        ch.pipeline()
                                .addLast(
                                        new Http2StreamFrameToHttpObjectCodec(false),
                                        new StreamResets(),
                                        new StreamMessages(),
                                        handler);
                    }
                })
                .open()
                .addListener((Future<Http2StreamChannel> f) -> {
                    if (!f.isSuccess()) {
                        streamClosed();
                        promise.setFailure(f.cause());
                        return;
                    }
                    Http2StreamChannel stream = f.getNow();
                    stream.closeFuture().addListener(cf -> streamClosed());
                    promise.setSuccess(new UpstreamConnection(stream, key, handler, remote, unverified, "h2"));
                });
        return promise;
    }

    private void streamClosed() {
        if (--streams == 0) {
            armIdleClose();
        }
    }

    private void armIdleClose() {
        idleClose = channel.eventLoop()
                .schedule(
                        () -> {
                            if (streams == 0) {
                                channel.close(); // the codec says GOAWAY first
                            }
                        },
                        idleNanos,
                        TimeUnit.NANOSECONDS);
    }

    /** After the origin's GOAWAY no new stream goes here; streams in flight finish. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2GoAwayFrame) {
            retired = true;
        }
        ReferenceCountUtil.release(msg);
    }

    /** Upstream connections allow half-closure (for HTTP/1.1 bodies); an h2 origin that stops sending is gone. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            retired = true;
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        retired = true;
        if (idleClose != null) {
            idleClose.cancel(false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        retired = true;
        ctx.close(); // streams see it as their connection closing
    }

    /** The proxy turns push off in its SETTINGS; a pushed stream anyway is reset by closing it. */
    private static final class RefusePush extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().close();
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }
}
