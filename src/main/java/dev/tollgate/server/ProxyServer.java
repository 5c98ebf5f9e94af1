package dev.tollgate.server;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.ca.CaException;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.Flows;
import dev.tollgate.http.ConnectHandoff;
import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.tls.UpstreamTlsFactory;
import dev.tollgate.http.ProxyAuthenticator;
import dev.tollgate.policy.ProxyCredentials;
import dev.tollgate.intercept.InterceptServices;
import dev.tollgate.intercept.InterceptStarter;
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
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The proxy listener: wiring, lifecycle, and graceful shutdown. */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    public static final String VERSION = "0.1.0";

    private final ProxyConfig config;
    private final Transport transport = Transport.best();
    private final Interception interception;
    private final AtomicReference<Router> router;
    private final Flows flows;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final HostResolver resolver;
    private final UpstreamTlsFactory upstreamTls;
    private final ProxyAuthenticator auth;
    private Channel listener;
    private volatile int boundPort;

    /**
     * @param ca the CA for interception and TLS to the proxy; null = blind tunnels only
     * @throws IllegalArgumentException when the proxy credentials file is unusable
     */
    public ProxyServer(ProxyConfig config, CertificateAuthority ca, Flows flows) throws CaException {
        this.config = config;
        this.interception = ca == null ? null : Interception.create(ca, config);
        this.router = new AtomicReference<>(Routing.from(config, interception != null, config.listen().port()));
        this.flows = flows;
        this.boss = transport.newGroup(1, "tollgate-accept");
        this.workers = transport.newGroup(0, "tollgate-io");
        this.resolver = new HostResolver(config.hosts());
        this.upstreamTls = interception != null ? interception.upstreamTls : Interception.upstreamTls(config);
        this.auth = config.proxyAuthFile() == null ? null : new ProxyAuthenticator(loadCredentials(config.proxyAuthFile()));
    }

    private static ProxyCredentials loadCredentials(java.nio.file.Path file) {
        try {
            ProxyCredentials c = ProxyCredentials.load(file);
            LOG.info("proxy authentication on: {} user(s) from {}", c.size(), file);
            return c;
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the proxy credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Binds the listener; returns the bound address (the port may have been 0). */
    public InetSocketAddress start() throws InterruptedException, CaException, SSLException {
        UpstreamConnector upstream = new UpstreamConnector(transport.socketChannel(), resolver,
                config.timeouts().connect(), upstreamTls,
                config.limits().maxIdlePerUpstream(), config.timeouts().idleUpstream(),
                () -> router.get().policy().egress());
        TunnelStarter tunnels = new TunnelStarter(upstream, flows, config.timeouts().idleTunnel());
        ClientChannelInitializer initializer = new ClientChannelInitializer(config, clients);
        ProxyTls proxyTls = null;
        InterceptStarter intercepts = null;
        if (interception != null) {
            proxyTls = new ProxyTls(interception.forge, interception.contexts, config.proxyNames(),
                    config.timeouts().handshake(), initializer);
            initializer.proxyTls(proxyTls);
            intercepts = new InterceptStarter(new InterceptServices(upstream, interception.leaves, interception.contexts,
                    flows, initializer::addHttpHandlers, tunnels::relayAnswered, config.timeouts().handshake()));
        }
        initializer.context(new HttpProxyContext(router::get, upstream, flows, handoff(tunnels, intercepts),
                new ProxyHomePage(config.listen().toString(), VERSION), "1.1 tollgate", config.timeouts().firstByte(),
                config.limits().maxHeaderCount(), auth, config.timeouts().idleTunnel()));
        ServerBootstrap b = new ServerBootstrap().group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(initializer);
        listener = b.bind(config.listen().host(), config.listen().port()).sync().channel();
        boundPort = ((InetSocketAddress) listener.localAddress()).getPort();
        router.set(Routing.from(config, interception != null, boundPort));
        LOG.info("listening on {} ({} transport{})", listener.localAddress(), transport.name(),
                proxyTls == null ? ", TLS to the proxy off: no CA" : ", TLS to the proxy for " + proxyTls.names());
        return (InetSocketAddress) listener.localAddress();
    }

    private static ConnectHandoff handoff(TunnelStarter tunnels, InterceptStarter intercepts) {
        return (client, decision, flow, early) -> {
            if (decision instanceof RouteDecision.Intercept i && intercepts != null) {
                intercepts.start(client, i, flow, early);
            } else if (decision instanceof RouteDecision.Tunnel t) {
                tunnels.start(client, t, flow, early);
            } else {
                RouteDecision.Intercept i = (RouteDecision.Intercept) decision;
                tunnels.start(client, new RouteDecision.Tunnel(i.target(), i.hop(), false), flow.mode(FlowMode.TUNNEL), early);
            }
        };
    }

    /** Swaps the route decision inputs; connections in flight keep the decisions already made. */
    public void reroute(ProxyConfig next) {
        router.set(Routing.from(next, interception != null, boundPort));
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
        if (auth != null) {
            auth.close();
        }
        if (interception != null) {
            interception.close();
        }
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
