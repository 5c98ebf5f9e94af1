package dev.tollgate.server;

import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.FlowLog;
import dev.tollgate.http.ConnectHandoff;
import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.net.Drain;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Router;
import dev.tollgate.tunnel.TunnelStarter;
import dev.tollgate.upstream.HostResolver;
import dev.tollgate.upstream.UpstreamConnector;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The proxy listener: bootstrap, lifecycle, and graceful shutdown. */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    public static final String VERSION = "0.1.0";

    private final ProxyConfig config;
    private final Transport transport = Transport.best();
    private final AtomicReference<Router> router;
    private final FlowLog flows;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final HostResolver resolver;
    private Channel listener;

    public ProxyServer(ProxyConfig config, FlowLog flows) {
        this.config = config;
        this.router = new AtomicReference<>(Routing.from(config, false));
        this.flows = flows;
        this.boss = transport.newGroup(1, "tollgate-accept");
        this.workers = transport.newGroup(0, "tollgate-io");
        this.resolver = new HostResolver(config.hosts());
    }

    /** Binds the listener; returns the bound address (the port may have been 0). */
    public InetSocketAddress start() throws InterruptedException {
        UpstreamConnector upstream = new UpstreamConnector(transport.socketChannel(), resolver,
                config.timeouts().connect(), null, config.limits().maxIdlePerUpstream(),
                config.timeouts().idleUpstream());
        TunnelStarter tunnels = new TunnelStarter(upstream, flows, config.timeouts().idleTunnel());
        ConnectHandoff connect = (client, decision, flow, early) -> {
            if (decision instanceof RouteDecision.Tunnel t) {
                tunnels.start(client, t, flow, early);
            } else if (decision instanceof RouteDecision.Intercept i) {
                tunnels.start(client, new RouteDecision.Tunnel(i.target(), i.hop(), false), flow.mode("tunnel"), early);
            }
        };
        HttpProxyContext context = new HttpProxyContext(router::get, upstream, flows, connect,
                new ProxyHomePage(config.listen().toString(), VERSION), "1.1 tollgate",
                config.timeouts().firstByte());
        ServerBootstrap b = new ServerBootstrap().group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ClientChannelInitializer(context, config, clients, null));
        listener = b.bind(config.listen().host(), config.listen().port()).sync().channel();
        LOG.info("listening on {} ({} transport)", listener.localAddress(), transport.name());
        return (InetSocketAddress) listener.localAddress();
    }

    /** Swaps the route decision inputs; connections in flight keep the decisions already made. */
    public void reroute(ProxyConfig next) {
        router.set(Routing.from(next, false));
    }

    /** What the router decides with now, for the startup banner. */
    public String routingSummary() {
        var p = router.get().policy();
        return "noProxy=[" + p.noProxy() + "] allowClients=" + p.clients()
                + " parent=" + (p.parent() == null ? "none" : p.parent().authority())
                + " intercept=" + (p.intercept() ? "on" : "off");
    }

    /**
     * Stops accepting, lets exchanges in flight finish for up to {@code drain}, then closes
     * whatever is left.
     */
    public void stop(Duration drain) {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        clients.forEach(ch -> ch.pipeline().fireUserEventTriggered(Drain.EVENT));
        long deadline = System.nanoTime() + drain.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
        }
        if (!clients.isEmpty()) {
            LOG.warn("closing {} connections still open after the {} s drain", clients.size(), drain.toSeconds());
        }
        clients.close().awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        resolver.close();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
