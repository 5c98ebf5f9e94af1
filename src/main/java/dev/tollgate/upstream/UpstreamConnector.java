package dev.tollgate.upstream;

import dev.tollgate.net.Channels;
import dev.tollgate.net.PipelineNames;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;
import dev.tollgate.policy.EgressPolicy;

/**
 * Opens connections to upstreams on the caller's event loop: resolve, connect (trying each
 * address), CONNECT through the parent proxy when one is in the way, TLS when asked; and keeps
 * HTTP connections in a per-loop keep-alive pool.
 */
public final class UpstreamConnector {
    private static final int MAX_RESPONSE_LINE = 8192;
    /** Origins send large heads (cookies, CSP): a proxy that refuses them breaks sites. */
    private static final int MAX_RESPONSE_HEADERS = 64 * 1024;
    /** Bigger body parts mean fewer writes and TLS wraps per MiB relayed (8 KiB by default). */
    private static final int MAX_BODY_CHUNK = 64 * 1024;

    private final Class<? extends SocketChannel> channelType;
    private final HostResolver resolver;
    private final int connectTimeoutMillis;
    private final TlsHandlerFactory tls;
    private final FastThreadLocal<UpstreamPool> pools;
    private final Supplier<EgressPolicy> egress;

    public UpstreamConnector(Class<? extends SocketChannel> channelType, HostResolver resolver,
            Duration connectTimeout, TlsHandlerFactory tls, int maxIdlePerKey, Duration idleTtl,
            Supplier<EgressPolicy> egress) {
        this.egress = egress;
        this.channelType = channelType;
        this.resolver = resolver;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.tls = tls;
        this.pools = new FastThreadLocal<>() {
            @Override
            protected UpstreamPool initialValue() {
                return new UpstreamPool(maxIdlePerKey, idleTtl);
            }
        };
    }

    /** A pooled connection when one is idle, otherwise a new one. Must be called on {@code loop}. */
    public Future<UpstreamConnection> lease(EventLoop loop, UpstreamKey key) {
        UpstreamConnection pooled = pools.get().poll(key);
        if (pooled != null) {
            return loop.newSucceededFuture(pooled);
        }
        return connect(loop, key);
    }

    /** Always a new connection: a retry after a pooled one turned out dead must not take another. */
    public Future<UpstreamConnection> connect(EventLoop loop, UpstreamKey key) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        // handlers are made per channel: an address that fails leaves its channel behind
        Future<Channel> connected = open(loop, key, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(PipelineNames.UPSTREAM_CODEC, new HttpClientCodec(
                                MAX_RESPONSE_LINE, MAX_RESPONSE_HEADERS, MAX_BODY_CHUNK))
                        .addLast(PipelineNames.UPSTREAM_HANDLER, new UpstreamHttpHandler());
            }
        });
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            Channel ch = connected.getNow();
            UpstreamHttpHandler handler = ch.pipeline().get(UpstreamHttpHandler.class);
            UpstreamConnection c = new UpstreamConnection(ch, key, handler, remoteOf(ch, key), key.tls() && tls.insecure());
            UpstreamPool pool = pools.get();
            ch.closeFuture().addListener(cf -> pool.remove(c));
            promise.setSuccess(c);
        });
        return promise;
    }

    /** Returns a connection whose exchange ended cleanly; call on its event loop. */
    public void release(UpstreamConnection c) {
        pools.get().offer(c);
    }

    /** A raw connection for a blind tunnel (through the parent with CONNECT when there is one). */
    public Future<Channel> openTunnel(EventLoop loop, Endpoint target, Endpoint parent) {
        return open(loop, UpstreamKey.plain(target, parent), null);
    }

    private Future<Channel> open(EventLoop loop, UpstreamKey key, ChannelHandler handlers) {
        Promise<Channel> promise = loop.newPromise();
        Endpoint first = key.connectTo();
        ConnectPhases phases = new ConnectPhases();
        resolver.resolve(first.host(), loop).addListener(f -> {
            phases.resolved();
            if (!f.isSuccess()) {
                promise.setFailure(UpstreamFailures.resolve(key, f.cause()));
                return;
            }
            InetAddress[] allowed = key.parent() != null ? (InetAddress[]) f.getNow()
                    : allowedAddresses(key, (InetAddress[]) f.getNow(), promise);
            if (allowed != null) {
                connectEach(loop, key, allowed, 0, handlers, promise, phases);
            }
        });
        return promise;
    }

    /**
     * The egress policy again, on what the name resolved to: a name may point at a denied
     * address (the cloud metadata service, say). Through a parent proxy the parent resolves,
     * so this check cannot apply there.
     */
    private InetAddress[] allowedAddresses(UpstreamKey key, InetAddress[] addresses, Promise<Channel> promise) {
        EgressPolicy policy = egress.get();
        java.util.List<InetAddress> ok = new java.util.ArrayList<>();
        String firstDenial = null;
        for (InetAddress a : addresses) {
            if (policy.checkResolved(key.target().host(), a, key.target().port()) instanceof EgressPolicy.Verdict.Denied d) {
                firstDenial = firstDenial != null ? firstDenial : "egress policy: " + d.reason() + " (rule: " + d.rule() + ")";
            } else {
                ok.add(a);
            }
        }
        if (ok.isEmpty()) {
            promise.setFailure(new UpstreamException(UpstreamException.Kind.DENIED, firstDenial, null));
            return null;
        }
        return ok.toArray(new InetAddress[0]);
    }

    private void connectEach(EventLoop loop, UpstreamKey key, InetAddress[] addresses, int index,
            ChannelHandler handlers, Promise<Channel> promise, ConnectPhases phases) {
        InetSocketAddress address = new InetSocketAddress(addresses[index], key.connectTo().port());
        boolean viaParent = key.parent() != null && (key.tls() || handlers == null);
        Bootstrap b = new Bootstrap().group(loop).channel(channelType)
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (viaParent) {
                            HttpProxyHandler proxy = new HttpProxyHandler(address);
                            proxy.setConnectTimeoutMillis(connectTimeoutMillis);
                            p.addLast(PipelineNames.UPSTREAM_PROXY, proxy);
                        }
                        if (key.tls()) {
                            p.addLast(PipelineNames.UPSTREAM_TLS, tls.newHandler(ch.alloc(), key.target(), key.serverName()));
                        }
                        if (handlers != null) {
                            p.addLast(handlers);
                        }
                    }
                });
        InetSocketAddress remote = viaParent
                ? InetSocketAddress.createUnresolved(key.target().host(), key.target().port())
                : address;
        ChannelFuture cf = b.connect(remote);
        cf.addListener(f -> {
            if (f.isSuccess()) {
                phases.connected();
                cf.channel().attr(ConnectPhases.KEY).set(phases);
                awaitReady(cf.channel(), key, promise, phases);
            } else if (index + 1 < addresses.length) {
                connectEach(loop, key, addresses, index + 1, handlers, promise, phases);
            } else {
                promise.setFailure(UpstreamFailures.connect(key, address, f.cause()));
            }
        });
    }

    /** Connected: wait for the parent's CONNECT answer and the TLS handshake, whichever apply. */
    private static void awaitReady(Channel ch, UpstreamKey key, Promise<Channel> promise, ConnectPhases phases) {
        HttpProxyHandler proxy = ch.pipeline().get(HttpProxyHandler.class);
        Future<Channel> proxied = proxy != null ? proxy.connectFuture() : ch.eventLoop().newSucceededFuture(ch);
        proxied.addListener(pf -> {
            if (!pf.isSuccess()) {
                ch.close();
                promise.setFailure(UpstreamFailures.parent(key, pf.cause()));
                return;
            }
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) {
                phases.ready();
                promise.setSuccess(ch);
                return;
            }
            ssl.handshakeFuture().addListener(hf -> {
                if (hf.isSuccess()) {
                    phases.ready();
                    promise.setSuccess(ch);
                } else {
                    ch.close();
                    promise.setFailure(UpstreamFailures.tls(key, hf.cause()));
                }
            });
        });
    }

    private static String remoteOf(Channel ch, UpstreamKey key) {
        if (key.parent() != null) {
            return key.parent().authority();
        }
        return Channels.addressOf(ch.remoteAddress());
    }
}
