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
    private final FastThreadLocal<H2Origins> h2Origins = new FastThreadLocal<>() {
        @Override
        protected H2Origins initialValue() {
            return new H2Origins();
        }
    };
    private final Http1Refusals refusals = new Http1Refusals();
    private final Duration idleTtl;
    private final Supplier<EgressPolicy> egress;

    public UpstreamConnector(
            Class<? extends SocketChannel> channelType,
            HostResolver resolver,
            Duration connectTimeout,
            TlsHandlerFactory tls,
            int maxIdlePerKey,
            Duration idleTtl,
            Supplier<EgressPolicy> egress) {
        this.egress = egress;
        this.channelType = channelType;
        this.resolver = resolver;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.tls = tls;
        this.idleTtl = idleTtl;
        this.pools = new FastThreadLocal<>() {
            @Override
            protected UpstreamPool initialValue() {
                return new UpstreamPool(maxIdlePerKey, idleTtl);
            }
        };
    }

    /** A pooled connection when one is idle, otherwise a new one. Must be called on {@code loop}. */
    public Future<UpstreamConnection> lease(EventLoop loop, UpstreamKey wanted) {
        UpstreamKey key = refusals.effective(wanted);
        H2Origin shared = h2Origins.get().find(key);
        if (shared != null) {
            return newStream(loop, shared, key);
        }
        UpstreamConnection pooled = pools.get().poll(key);
        if (pooled != null) {
            return loop.newSucceededFuture(pooled);
        }
        return connect(loop, key);
    }

    /** Whether an idle connection, or a shared h2 one with room, for the key waits on this loop. Call on the loop. */
    public boolean hasIdle(UpstreamKey key) {
        return h2Origins.get().find(key) != null || pools.get().hasIdle(key);
    }

    /** Always a new connection: a retry after a pooled one turned out dead must not take another. */
    public Future<UpstreamConnection> connect(EventLoop loop, UpstreamKey key) {
        return orH2(loop, key, connectOnce(loop, key));
    }

    /**
     * An origin that refused HTTP/1.1 offered alone (it speaks h2 only) is asked once more on a
     * new connection with h2 offered, and remembered: the HTTP/1.1 client is then translated to it.
     */
    private Future<UpstreamConnection> orH2(EventLoop loop, UpstreamKey key, Future<UpstreamConnection> first) {
        if (key.offer() != UpstreamKey.Offer.HTTP_1_1_FIRST || !key.tls()) {
            return first;
        }
        Promise<UpstreamConnection> promise = loop.newPromise();
        first.addListener((Future<UpstreamConnection> f) -> {
            if (f.isSuccess() || !Http1Refusals.worthH2(key, f.cause())) {
                relay(f, promise);
                return;
            }
            UpstreamKey h2 = key.withOffer(UpstreamKey.Offer.H2);
            connectOnce(loop, h2).addListener((Future<UpstreamConnection> again) -> {
                if (again.isSuccess() && "h2".equals(again.getNow().protocol())) {
                    refusals.remember(h2);
                }
                relay(again, promise);
            });
        });
        return promise;
    }

    private Future<UpstreamConnection> connectOnce(EventLoop loop, UpstreamKey key) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        // handlers are made per channel: an address that fails leaves its channel behind; the
        // HTTP handlers wait behind a placeholder until TLS has said h2 or HTTP/1.1
        Future<Channel> connected = open(loop, key, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(OriginProtocol.NAME, new OriginProtocol());
            }
        });
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            settle(connected.getNow(), key, promise);
        });
        return promise;
    }

    /** TLS is done (or absent): an h2 origin becomes a shared connection and this lease its first stream. */
    private void settle(Channel ch, UpstreamKey key, Promise<UpstreamConnection> promise) {
        if (OriginProtocol.choseH2(ch)) {
            H2Origin origin = H2Origin.adopt(ch, key, remoteOf(ch, key), tls.insecure(), idleTtl);
            h2Origins.get().add(origin);
            origin.openStream().addListener(sf -> relay(sf, promise));
            return;
        }
        promise.setSuccess(http1(ch, key));
    }

    /**
     * Makes an HTTP connection for {@code key} of a TCP connection {@link #openTunnel} opened to
     * its target: TLS for the key's server name when it has one (verified as always), then the
     * codec for the protocol ALPN chose. An intercepted CONNECT opens the connection before it
     * answers the client and learns the server name only later, from the ClientHello. Call on
     * the channel's event loop.
     */
    public Future<UpstreamConnection> adopt(Channel ch, UpstreamKey wanted) {
        UpstreamKey key = refusals.effective(wanted);
        return orH2(ch.eventLoop(), key, adoptOnce(ch, key));
    }

    private Future<UpstreamConnection> adoptOnce(Channel ch, UpstreamKey key) {
        Promise<UpstreamConnection> promise = ch.eventLoop().newPromise();
        ChannelPipeline p = ch.pipeline();
        if (key.tls()) {
            p.addLast(
                    PipelineNames.UPSTREAM_TLS,
                    tls.newHandler(ch.alloc(), key.target(), key.serverName(), key.offersH2()));
        }
        p.addLast(OriginProtocol.NAME, new OriginProtocol());
        SslHandler ssl = p.get(SslHandler.class);
        if (ssl == null || !key.tls()) {
            settle(ch, key, promise);
            return promise;
        }
        ch.read(); // AUTO_READ is off: the server's handshake messages need a read
        ssl.handshakeFuture().addListener(hf -> {
            if (hf.isSuccess()) {
                settle(ch, key, promise);
            } else {
                ch.close();
                promise.setFailure(UpstreamFailures.tls(key, hf.cause()));
            }
        });
        return promise;
    }

    /** HTTP/1.1 in the placeholder's place: a connection leased to one exchange at a time, then pooled. */
    private UpstreamConnection http1(Channel ch, UpstreamKey key) {
        UpstreamHttpHandler handler = new UpstreamHttpHandler();
        ch.pipeline()
                .addAfter(
                        OriginProtocol.NAME,
                        PipelineNames.UPSTREAM_CODEC,
                        new HttpClientCodec(MAX_RESPONSE_LINE, MAX_RESPONSE_HEADERS, MAX_BODY_CHUNK))
                .addAfter(PipelineNames.UPSTREAM_CODEC, PipelineNames.UPSTREAM_HANDLER, handler)
                .remove(OriginProtocol.NAME);
        UpstreamConnection c = new UpstreamConnection(ch, key, handler, remoteOf(ch, key), key.tls() && tls.insecure());
        UpstreamPool pool = pools.get();
        ch.closeFuture().addListener(cf -> pool.remove(c));
        return c;
    }

    /** A stream on a shared h2 connection; one that cannot open (a GOAWAY just came) falls back to a new connection. */
    private Future<UpstreamConnection> newStream(EventLoop loop, H2Origin shared, UpstreamKey key) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        shared.openStream().addListener((Future<UpstreamConnection> f) -> {
            if (f.isSuccess()) {
                f.getNow().markReused(); // so an exchange retries a body-less request on a fresh connection
                promise.setSuccess(f.getNow());
            } else {
                connect(loop, key).addListener(cf -> relay(cf, promise));
            }
        });
        return promise;
    }

    private static void relay(Future<?> from, Promise<UpstreamConnection> to) {
        if (from.isSuccess()) {
            to.setSuccess((UpstreamConnection) from.getNow());
        } else {
            to.setFailure(from.cause());
        }
    }

    /** Returns a connection whose exchange ended cleanly; call on its event loop. An h2 stream just ends. */
    public void release(UpstreamConnection c) {
        if (c.stream()) {
            c.channel().close();
            return;
        }
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
            AddressVerdict verdict = key.parent() != null
                    ? new AddressVerdict.Allowed(addresses)
                    : egress.get().allowedOf(key.target().host(), key.target().port(), addresses);
            if (verdict instanceof AddressVerdict.Allowed allowed) {
                connectEach(loop, key, allowed.addresses(), 0, handlers, promise, phases);
            } else if (verdict instanceof AddressVerdict.Denied denied) {
                promise.setFailure(new UpstreamException(
                        UpstreamException.Kind.DENIED,
                        "egress policy: " + denied.reason() + " (rule: " + denied.rule() + ")",
                        null));
            }
        });
        return promise;
    }

    private void connectEach(
            EventLoop loop,
            UpstreamKey key,
            List<InetAddress> addresses,
            int index,
            ChannelHandler handlers,
            Promise<Channel> promise,
            ConnectPhases phases) {
        InetSocketAddress address =
                new InetSocketAddress(addresses.get(index), key.connectTo().port());
        boolean viaParent = key.parent() != null && (key.tls() || handlers == null);
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelType)
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
                            p.addLast(
                                    PipelineNames.UPSTREAM_TLS,
                                    tls.newHandler(ch.alloc(), key.target(), key.serverName(), key.offersH2()));
                        }
                        if (handlers != null) {
                            p.addLast(handlers);
                        }
                    }
                });
        InetSocketAddress remote = viaParent
                ? InetSocketAddress.createUnresolved(
                        key.target().host(), key.target().port())
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
        Future<Channel> proxied =
                proxy != null ? proxy.connectFuture() : ch.eventLoop().newSucceededFuture(ch);
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
