package dev.tollgate.server;

import dev.tollgate.config.ProxyConfig;
import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.http.HttpProxyFrontend;
import dev.tollgate.http.InterceptSession;
import dev.tollgate.http.RequestHeadTimer;
import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.net.Channels;
import dev.tollgate.net.PipelineNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import dev.tollgate.net.ReadGate;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Sets up each accepted client connection: sniff TLS or HTTP, then the HTTP codec, one
 * decoded message per read, an idle timer, and the proxy front end.
 */
final class ClientChannelInitializer extends ChannelInitializer<Channel> implements ProtocolSniffer.Installer {
    private static final int MAX_CHUNK = 64 * 1024;

    private HttpProxyContext context;
    private final ProxyConfig config;
    private final ChannelGroup clients;
    private final ConnectionLimits limits;
    private ProxyTlsInstaller proxyTls;

    ClientChannelInitializer(ProxyConfig config, ChannelGroup clients) {
        this.config = config;
        this.clients = clients;
        this.limits = new ConnectionLimits(config.limits().maxConnections(), config.limits().maxConnectionsPerClient());
    }

    /** Set once before the listener binds (the context's parts refer back to this initializer). */
    void context(HttpProxyContext context) {
        this.context = context;
    }

    /** Set once before the listener binds, when a CA is loaded; without it TLS to the proxy is refused. */
    void proxyTls(ProxyTlsInstaller installer) {
        this.proxyTls = installer;
    }

    @Override
    protected void initChannel(Channel ch) {
        String refused = limits.admit(ch);
        if (refused != null) {
            context.flows().open(Channels.addressOf(ch.remoteAddress())).mode(FlowMode.DENY).status(503).error(refused).end();
            return;
        }
        clients.add(ch);
        ch.pipeline().addLast(PipelineNames.SNIFFER, new ProtocolSniffer(this, config.timeouts().requestHead()));
    }

    @Override
    public void installHttp(ChannelHandlerContext ctx) {
        addHttpHandlers(ctx.pipeline(), ctx.name());
    }

    @Override
    public void installProxyTls(ChannelHandlerContext ctx) {
        if (proxyTls == null) {
            ctx.close(); // no CA to make the proxy's own certificate: TLS to the proxy is off
            return;
        }
        proxyTls.install(ctx);
    }

    /** The HTTP handlers, after {@code baseName} (the sniffer, or the TLS handler before a re-sniff). */
    void addHttpHandlers(ChannelPipeline p, String baseName) {
        addHttpHandlers(p, baseName, null);
    }

    /** The same, for the decrypted (or plain) inside of an intercepted CONNECT. */
    void addHttpHandlers(ChannelPipeline p, String baseName, InterceptSession session) {
        long idleNanos = config.timeouts().idleClient().toNanos();
        p.addAfter(baseName, PipelineNames.HEAD_TIMER, new RequestHeadTimer(config.timeouts().requestHead()))
                .addAfter(PipelineNames.HEAD_TIMER, PipelineNames.HTTP_CODEC, new HttpServerCodec(
                        config.limits().maxInitialLine(), config.limits().maxHeaderSize(), MAX_CHUNK))
                .addAfter(PipelineNames.HTTP_CODEC, PipelineNames.READ_GATE, new ReadGate(config.limits().maxPipelined()))
                .addAfter(PipelineNames.READ_GATE, PipelineNames.IDLE,
                        new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS))
                .addAfter(PipelineNames.IDLE, PipelineNames.FRONTEND, new HttpProxyFrontend(context, session));
    }

    /** TLS to the proxy itself: adds the TLS handler after the sniffer, then the HTTP handlers after it. */
    interface ProxyTlsInstaller {
        void install(ChannelHandlerContext sniffer);
    }
}
