package dev.tollgate.upstream;

import dev.tollgate.net.Channels;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.policy.EgressPolicy;
import dev.tollgate.policy.EgressPolicy.AddressVerdict;
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
import java.util.List;
import java.util.function.Supplier;

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

    /** Whether an idle connection for the key waits in this event loop's pool. Call on the loop. */
    public boolean hasIdle(UpstreamKey key) {
        return pools.get().hasIdle(key);
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
            promise.setSuccess(wrap(connected.getNow(), key));
        });
        return promise;
    }

    private UpstreamConnection wrap(Channel ch, UpstreamKey key) {
        UpstreamHttpHandler handler = ch.pipeline().get(UpstreamHttpHandler.class);
        UpstreamConnection c = new UpstreamConnection(ch, key, handler, remoteOf(ch, key), key.tls() && tls.insecure());
        UpstreamPool pool = pools.get();
        ch.closeFuture().addListener(cf -> pool.remove(c));
        return c;
    }

    /**
     * Makes an HTTP connection for {@code key} of a TCP connection {@link #openTunnel} opened to
     * its target: TLS for the key's server name when it has one (verified as always), then the
     * codec. An intercepted CONNECT opens the connection before it answers the client and learns
     * the server name only later, from the ClientHello. Call on the channel's event loop.
     */
    public Future<UpstreamConnection> adopt(Channel ch, UpstreamKey key) {
        Promise<UpstreamConnection> promise = ch.eventLoop().newPromise();
        ChannelPipeline p = ch.pipeline();
        if (key.tls()) {
            p.addLast(PipelineNames.UPSTREAM_TLS, tls.newHandler(ch.alloc(), key.target(), key.serverName()));
        }
        p.addLast(PipelineNames.UPSTREAM_CODEC, new HttpClientCodec(MAX_RESPONSE_LINE, MAX_RESPONSE_HEADERS, MAX_BODY_CHUNK))
                .addLast(PipelineNames.UPSTREAM_HANDLER, new UpstreamHttpHandler());
        SslHandler ssl = p.get(SslHandler.class);
        if (ssl == null || !key.tls()) {
            return promise.setSuccess(wrap(ch, key));
        }
        ch.read(); // AUTO_READ is off: the server's handshake messages need a read
        ssl.handshakeFuture().addListener(hf -> {
            if (hf.isSuccess()) {
                promise.setSuccess(wrap(ch, key));
            } else {
                ch.close();
                promise.setFailure(UpstreamFailures.tls(key, hf.cause()));
            }
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
            List<InetAddress> addresses = List.of((InetAddress[]) f.getNow());
            // Through a parent proxy the parent resolves, so the egress re-check cannot apply there.
            AddressVerdict verdict = key.parent() != null ? new AddressVerdict.Allowed(addresses)
                    : egress.get().allowedOf(key.target().host(), key.target().port(), addresses);
            if (verdict instanceof AddressVerdict.Allowed allowed) {
                connectEach(loop, key, allowed.addresses(), 0, handlers, promise, phases);
            } else if (verdict instanceof AddressVerdict.Denied denied) {
                promise.setFailure(new UpstreamException(UpstreamException.Kind.DENIED,
                        "egress policy: " + denied.reason() + " (rule: " + denied.rule() + ")", null));
            }
        });
        return promise;
    }

    private void connectEach(EventLoop loop, UpstreamKey key, List<InetAddress> addresses, int index,
            ChannelHandler handlers, Promise<Channel> promise, ConnectPhases phases) {
        InetSocketAddress address = new InetSocketAddress(addresses.get(index), key.connectTo().port());
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
            } else if (index + 1 < addresses.size()) {
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
