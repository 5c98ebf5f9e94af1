package dev.tollgate.server;

import dev.tollgate.ca.CaException;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.ca.LeafEvents;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.Flows;
import dev.tollgate.http.BodyCapturePolicy;
import dev.tollgate.http.Http2ClientBranch;
import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.http.ProxyAuthenticator;
import dev.tollgate.intercept.InterceptServices;
import dev.tollgate.net.Drain;
import dev.tollgate.policy.EgressPolicy;
import dev.tollgate.policy.ProxyCredentials;
import dev.tollgate.route.AutoPassthrough;
import dev.tollgate.route.Router;
import dev.tollgate.tls.KeyLog;
import dev.tollgate.tls.TlsProviders;
import dev.tollgate.upstream.HostResolver;
import dev.tollgate.upstream.UpstreamConnector;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root and the lifecycle of the proxy: builds every part from the config by
 * constructor injection, in dependency order (router, upstream connector, TLS parts, HTTP
 * stages, pipeline owner), then starts accepting on the {@link Listener} and drains at stop.
 *
 * <p>What other listeners plug into: {@link #flows()} to add flow sinks, {@link #caCertificate()},
 * {@link #readiness(Duration)}, {@link #openConnections()} and {@link #openTunnels()}; an
 * exchange protocol for intercepted connections beyond HTTP/1.1 (h2) goes in as an
 * {@link InterceptedExchanges} keyed by its ALPN id.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    public static final String VERSION = "0.1.0";

    private final ProxyConfig config;
    private final CertificateAuthority ca;
    private final Listener listener;
    private final Interception interception;
    private final AtomicReference<Router> router;
    private final AutoPassthrough autoPassthrough;
    private final Flows flows;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final HostResolver resolver;
    private final ProxyAuthenticator auth;
    private final ProxyTls proxyTls;
    private final PipelineOwner owner;
    private final ClientChannelInitializer admission;
    private final KeyLog keyLog;
    private final TransparentMode transparent;

    /** Binds the listener itself; see {@link #ProxyServer(ProxyConfig, CertificateAuthority, Flows, Listener, Map)}. */
    public ProxyServer(ProxyConfig config, CertificateAuthority ca, Flows flows)
            throws CaException, Listener.ListenException {
        this(config, ca, flows, Listener.bind(config.listen()), Map.of());
    }

    /**
     * @param ca the CA for interception and TLS to the proxy; null = blind tunnels only
     * @param listener the proxy port, bound already (see {@link Listener#bind})
     * @param byAlpn exchanges for intercepted connections whose client negotiated these ALPN
     *     protocols; HTTP/1.1 is built in
     * @throws IllegalArgumentException when the proxy credentials file or the TLS key log is unusable, or
     *     the transparent listener cannot run
     */
    public ProxyServer(
            ProxyConfig config,
            CertificateAuthority ca,
            Flows flows,
            Listener listener,
            Map<String, InterceptedExchanges> byAlpn)
            throws CaException {
        this(config, ca, flows, listener, byAlpn, HostResolver.SYSTEM);
    }

    /** @param dns resolves names beyond the hosts map and IP literals (tests: never off the machine) */
    public ProxyServer(
            ProxyConfig config,
            CertificateAuthority ca,
            Flows flows,
            Listener listener,
            Map<String, InterceptedExchanges> byAlpn,
            HostResolver.Lookup dns)
            throws CaException {
        this.config = config;
        this.ca = ca;
        this.listener = listener;
        this.flows = flows;
        int port = listener.address().getPort();
        this.keyLog = KeyLog.open(config.tlsKeylog(), TlsProviders.provider());
        if (keyLog.on()) {
            flows.markKeyLog();
        }
        this.interception = ca == null ? null : new Interception(ca, config, keyLog);
        this.router = new AtomicReference<>();
        // a host an egress rule denies never enters: the rule of the moment, as reloads change it
        this.autoPassthrough = AutoPassthrough.of(
                config.autoPassthrough(),
                (host, p) -> router.get().policy().egress().check(host, p) instanceof EgressPolicy.Verdict.Denied);
        router.set(Routing.from(config, interception != null, port, autoPassthrough));
        this.resolver = new HostResolver(config.hosts(), dns);
        this.auth =
                config.proxyAuthFile() == null ? null : new ProxyAuthenticator(loadCredentials(config.proxyAuthFile()));
        UpstreamConnector upstream = new UpstreamConnector(
                listener.transport().socketChannel(),
                resolver,
                config.timeouts().connect(),
                interception != null ? interception.upstreamTls : Interception.upstreamTls(config, keyLog),
                config.limits().maxIdlePerUpstream(),
                config.timeouts().idleUpstream(),
                () -> router.get().policy().egress());
        this.proxyTls = interception == null ? null : proxyTls(interception, config);
        this.owner = new PipelineOwner(config);
        HttpProxyContext context = new HttpProxyContext(
                router::get,
                upstream,
                flows,
                owner,
                new ProxyHomePage(
                        VERSION, config.admin().enabled() ? config.admin().listen() : null),
                "1.1 tollgate",
                config.timeouts().firstByte(),
                config.limits().maxHeaderCount(),
                auth,
                BodyCapturePolicy.of(config.admin()));
        InterceptServices intercept = interception == null
                ? null
                : new InterceptServices(
                        upstream,
                        interception.leaves,
                        interception.contexts,
                        flows,
                        config.timeouts().handshake(),
                        autoPassthrough);
        NextLayer next = new NextLayer(
                owner,
                context,
                proxyTls,
                intercept,
                withH2(byAlpn, config),
                config.timeouts().requestHead(),
                config.timeouts().clientFirstByte());
        ConnectionLimits limits = new ConnectionLimits(
                config.limits().connections().maxConnections(),
                config.limits().connections().maxConnectionsPerClient());
        this.admission = new ClientChannelInitializer(limits, clients, flows, next::accepted);
        this.transparent = config.transparent() == null
                ? null
                : TransparentMode.bind(
                        config.transparent(),
                        listener,
                        owner,
                        context,
                        next,
                        resolver,
                        entry -> new ClientChannelInitializer(limits, clients, flows, entry));
    }

    /** h2 is built in: the caller's map may replace it, not lose it. */
    private static Map<String, InterceptedExchanges> withH2(
            Map<String, InterceptedExchanges> byAlpn, ProxyConfig config) {
        Map<String, InterceptedExchanges> all = new HashMap<>(byAlpn);
        all.putIfAbsent(
                ApplicationProtocolNames.HTTP_2,
                new Http2ClientBranch(config.http2(), config.timeouts().idleClient())::install);
        return all;
    }

    private static ProxyTls proxyTls(Interception interception, ProxyConfig config) throws CaException {
        try {
            return new ProxyTls(
                    interception.forge,
                    interception.contexts,
                    config.proxyNames(),
                    config.timeouts().handshake());
        } catch (SSLException e) {
            throw new CaException("cannot make the proxy's own TLS certificate: " + e.getMessage(), e);
        }
    }

    private static ProxyCredentials loadCredentials(Path file) {
        try {
            ProxyCredentials c = ProxyCredentials.load(file);
            LOG.info("proxy authentication on: {} user(s) from {}", c.size(), file);
            return c;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot use the proxy credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Starts accepting; returns the bound address (the configured port may have been 0). */
    public InetSocketAddress start() {
        listener.open(admission);
        if (transparent != null) {
            transparent.start();
        }
        LOG.info(
                "listening on {} ({} transport{})",
                listener.address(),
                listener.transport().name(),
                proxyTls == null ? ", TLS to the proxy off: no CA" : ", TLS to the proxy for " + proxyTls.names());
        return listener.address();
    }

    /** Where redirected connections are accepted, or null when transparent mode is off. */
    public InetSocketAddress transparentAddress() {
        return transparent == null ? null : transparent.address();
    }

    /** Swaps the route decision inputs; connections in flight keep the decisions already made. */
    public void reroute(ProxyConfig next) {
        router.set(Routing.from(next, interception != null, listener.address().getPort(), autoPassthrough));
    }

    /** Hosts tunnelled blind because clients kept rejecting their forged leaf; kept across reloads. */
    public AutoPassthrough autoPassthrough() {
        return autoPassthrough;
    }

    /** What the router decides with now, for the startup banner. */
    public String routingSummary() {
        var p = router.get().policy();
        return "noProxy=[" + p.noProxy() + "] allowClients=" + p.clients()
                + " parent=" + (p.parent() == null ? "none" : p.parent().authority())
                + " intercept=" + (p.intercept() ? "on" : "off");
    }

    /** Where flows go; an admin listener adds its sinks here. */
    public Flows flows() {
        return flows;
    }

    /** The CA certificate clients must trust, or null when no CA is loaded (interception off). */
    public X509Certificate caCertificate() {
        return ca == null ? null : ca.certificate();
    }

    /** Whether the proxy can serve: see {@link Readiness}. Never blocks the caller's thread. */
    public CompletableFuture<Readiness> readiness(Duration loopTimeout) {
        return Readiness.check(listener, ca != null, config.intercept(), loopTimeout);
    }

    /** Tells {@code events} of every leaf forged or served from the cache (metrics); no-op without a CA. */
    public void observeLeaves(LeafEvents events) {
        if (interception != null) {
            interception.leaves.observe(events);
        }
    }

    /** Client connections open now. */
    public int openConnections() {
        return clients.size();
    }

    /** Blind relays open now: CONNECT tunnels (bypass, passthrough, blind inside interception) and WebSockets. */
    public int openTunnels() {
        return owner.openRelays();
    }

    /**
     * Stops accepting, lets exchanges in flight finish for up to {@code drain}, then closes
     * whatever is left.
     */
    public void stop(Duration drain) {
        listener.stopAccepting();
        if (transparent != null) {
            transparent.close();
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
        listener.close();
        resolver.close();
        if (auth != null) {
            auth.close();
        }
        if (interception != null) {
            interception.close();
        }
        keyLog.close();
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
