package dev.tollgate.it;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTPS origin on loopback built on Netty, speaking h2 (when {@code h2} is true, and the
 * client offers it) or HTTP/1.1. Paths: {@code /size/N} answers N bytes; {@code /reset/CODE}
 * resets the stream with that HTTP/2 error code; {@code /hang...} never answers; {@code /goaway} sends
 * GOAWAY (NO_ERROR) on its connection and then answers; anything else answers a line naming the
 * protocol, the authority it got, the TE header and how many body bytes arrived.
 */
public final class H2Origin implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final ConcurrentLinkedQueue<String> seenHeaders = new ConcurrentLinkedQueue<>();
    /** Error codes of the RST_STREAM frames clients sent. */
    final ConcurrentLinkedQueue<Long> resets = new ConcurrentLinkedQueue<>();
    /** The error code of each reset stream, by the path its request asked for. */
    final ConcurrentHashMap<String, Long> resetsByPath = new ConcurrentHashMap<>();

    public H2Origin(TestPki.Issued cert, boolean h2) throws Exception {
        this(cert, h2, 0);
    }

    /** @param port a fixed port, to stand in for an origin that restarted with other protocols */
    public H2Origin(TestPki.Issued cert, boolean h2, int port) throws Exception {
        this(cert, h2, port, false);
    }

    /**
     * An origin that speaks h2 and nothing else: a handshake whose ALPN offers no h2 ends with the
     * no_application_protocol alert (RFC 7301), as Go's servers and others configured h2-only do.
     */
    public static H2Origin h2Only(TestPki.Issued cert) throws Exception {
        return new H2Origin(cert, true, 0, true);
    }

    private H2Origin(TestPki.Issued cert, boolean h2, int port, boolean h2Only) throws Exception {
        ApplicationProtocolConfig alpn = h2Only
                ? new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.FATAL_ALERT,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.FATAL_ALERT,
                        ApplicationProtocolNames.HTTP_2)
                : h2
                        ? new ApplicationProtocolConfig(
                                ApplicationProtocolConfig.Protocol.ALPN,
                                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                                ApplicationProtocolNames.HTTP_2,
                                ApplicationProtocolNames.HTTP_1_1)
                        : new ApplicationProtocolConfig(
                                ApplicationProtocolConfig.Protocol.ALPN,
                                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                                ApplicationProtocolNames.HTTP_1_1);
        SslContext tls = SslContextBuilder.forServer(cert.key(), cert.chain())
                // only the JDK's engine can refuse a handshake over ALPN (BoringSSL's just leaves ALPN out)
                .sslProvider(h2Only ? SslProvider.JDK : SslContext.defaultServerProvider())
                .applicationProtocolConfig(alpn)
                .build();
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        accepted.incrementAndGet();
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Negotiation());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port))
                .sync()
                .channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        connections.close().syncUninterruptibly(); // as an origin going away does: its clients see the close
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Negotiation extends ApplicationProtocolNegotiationHandler {
        Negotiation() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ChannelPipeline p = ctx.pipeline();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                p.addLast(
                        Http2FrameCodecBuilder.forServer().build(),
                        new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel ch) {
                                ch.pipeline()
                                        .addLast(
                                                new ResetPaths(),
                                                new Http2StreamFrameToHttpObjectCodec(true),
                                                new HttpObjectAggregator(16 * 1024 * 1024),
                                                new Answer("h2"),
                                                new ResetLog());
                            }
                        }));
            } else {
                p.addLast(new HttpServerCodec(), new HttpObjectAggregator(16 * 1024 * 1024), new Answer("http/1.1"));
            }
        }
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String protocol;

        Answer(String protocol) {
            this.protocol = protocol;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            requests.incrementAndGet();
            seenHeaders.add(req.headers().names().toString());
            String path = req.uri();
            if (path.startsWith("/hang")) {
                return;
            }
            if (path.equals("/goaway") && ctx.channel() instanceof Http2StreamChannel) {
                // a graceful shutdown: no new streams here, this one is still answered
                ctx.channel().parent().writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
            }
            if (path.startsWith("/reset/") && ctx.channel() instanceof Http2StreamChannel) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Long.parseLong(path.substring(7))));
                return;
            }
            ByteBuf body;
            if (path.startsWith("/size/")) {
                byte[] b = new byte[Integer.parseInt(path.substring(6))];
                Arrays.fill(b, (byte) 'x');
                body = Unpooled.wrappedBuffer(b);
            } else {
                body = Unpooled.copiedBuffer(
                        protocol + " host=" + req.headers().get(HttpHeaderNames.HOST)
                                + " te=" + req.headers().get(HttpHeaderNames.TE) + " bytes="
                                + req.content().readableBytes()
                                + " path=" + path,
                        StandardCharsets.UTF_8);
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            HttpUtil.setContentLength(r, body.readableBytes());
            ctx.writeAndFlush(r);
        }
    }

    /** First in a stream's pipeline: remembers the stream's path, so a reset can be told apart from a neighbour's. */
    private final class ResetPaths extends ChannelInboundHandlerAdapter {
        private String path;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (path == null
                    && msg instanceof Http2HeadersFrame h
                    && h.headers().path() != null) {
                path = h.headers().path().toString();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame r && path != null) {
                resetsByPath.put(path, r.errorCode());
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    private final class ResetLog extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame r) {
                resets.add(r.errorCode());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a stream the client reset mid-request: nothing to answer
        }
    }
}
