package dev.tollgate.server;

import dev.tollgate.config.ProxyConfig;
import dev.tollgate.http.RequestHeadTimer;
import dev.tollgate.net.ClientPipeline;
import dev.tollgate.net.Leftovers;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.net.ReadGate;
import dev.tollgate.net.Relay;
import dev.tollgate.net.RelayIdle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * The one place that installs and strips the handlers of a client connection, in the order
 * {@link PipelineNames} documents. What to install when is decided in {@link NextLayer}; this
 * class only knows how. Every client pipeline ends in a {@link PipelineTail}, and every
 * install goes right before it, so that installs in protocol order give the documented order.
 */
final class PipelineOwner implements ClientPipeline {
    private static final int MAX_CHUNK = 64 * 1024;

    private final ProxyConfig.Limits limits;
    private final Duration requestHead;
    private final long idleClientNanos;
    private final long idleTunnelNanos;
    private final AtomicInteger openRelays = new AtomicInteger();

    PipelineOwner(ProxyConfig config) {
        this.limits = config.limits();
        this.requestHead = config.timeouts().requestHead();
        this.idleClientNanos = config.timeouts().idleClient().toNanos();
        this.idleTunnelNanos = config.timeouts().idleTunnel().toNanos();
    }

    /** A new client connection: its tail, then the classifier of its first bytes. */
    void accept(Channel client, FirstBytes.Branch branch) {
        client.pipeline().addLast(PipelineNames.TAIL, new PipelineTail());
        classify(client.pipeline(), requestHead, branch);
    }

    /** A redirected connection: its tail only; the classifier comes once the origin is connected. */
    void acceptRedirected(Channel client) {
        client.pipeline().addLast(PipelineNames.TAIL, new PipelineTail());
    }

    /** The Host check of plain HTTP on a redirected connection, right before the exchanges. */
    void installHostCheck(ChannelPipeline p, ChannelHandler check) {
        p.addBefore(PipelineNames.EXCHANGES, PipelineNames.HOST_CHECK, check);
    }

    /** Awaits the (next) first bytes: at accept, behind TLS to the proxy, inside a CONNECT. */
    void classify(ChannelPipeline p, Duration silence, FirstBytes.Branch branch) {
        p.addBefore(PipelineNames.TAIL, PipelineNames.FIRST_BYTES, new FirstBytes(silence, branch));
    }

    /**
     * Bytes already read and decrypted (those behind a CONNECT request) enter right before the
     * classifier: past TLS to the proxy, if any, not at the head of the pipeline.
     */
    void replayBeforeClassifier(ChannelPipeline p, ByteBuf bytes) {
        ChannelHandlerContext proxyTls = p.context(PipelineNames.PROXY_TLS);
        if (proxyTls != null) {
            proxyTls.fireChannelRead(bytes).fireChannelReadComplete();
        } else {
            p.fireChannelRead(bytes).fireChannelReadComplete();
        }
    }

    /**
     * TLS to the proxy takes the classifier's place (a replace, not an add: the classifier runs
     * again behind it under the same name), and gets the bytes the classifier held.
     */
    void replaceWithProxyTls(ChannelHandlerContext classifier, SslHandler tls) {
        classifier.pipeline().replace(classifier.handler(), PipelineNames.PROXY_TLS, tls);
    }

    /** The reader of the ClientHello, which {@link #swapInInterceptTls} replaces with the TLS handler. */
    void installInterceptTls(ChannelPipeline p, ChannelHandler sniReader) {
        p.addBefore(PipelineNames.TAIL, PipelineNames.INTERCEPT_TLS, sniReader);
    }

    /** Takes out a handler whose protocol was left; bytes it held go on to what follows it. */
    void remove(ChannelHandlerContext handler) {
        handler.pipeline().remove(handler.handler());
    }

    void swapInInterceptTls(ChannelHandlerContext sniReader, SslHandler tls) {
        ChannelPipeline p = sniReader.pipeline();
        p.replace(sniReader.handler(), PipelineNames.INTERCEPT_TLS, tls);
        p.addAfter(PipelineNames.INTERCEPT_TLS, PipelineNames.HANDSHAKE_WATCH, new HandshakeWatch());
    }

    /**
     * The HTTP/1.1 stages, written once: the slowloris timer, the codec, one message per read,
     * the idle timer, then the access stage (proxy port only; null inside a CONNECT) and the
     * forwarding stage.
     */
    void installHttp(ChannelPipeline p, ChannelHandler access, ChannelHandler exchanges) {
        p.addBefore(PipelineNames.TAIL, PipelineNames.HEAD_TIMER, new RequestHeadTimer(requestHead))
                .addBefore(
                        PipelineNames.TAIL,
                        PipelineNames.HTTP_CODEC,
                        new HttpServerCodec(limits.maxInitialLine(), limits.maxHeaderSize(), MAX_CHUNK))
                .addBefore(PipelineNames.TAIL, PipelineNames.READ_GATE, new ReadGate(limits.maxPipelined()))
                .addBefore(
                        PipelineNames.TAIL,
                        PipelineNames.IDLE,
                        new IdleStateHandler(0, 0, idleClientNanos, TimeUnit.NANOSECONDS));
        if (access != null) {
            p.addBefore(PipelineNames.TAIL, PipelineNames.ACCESS, access);
        }
        p.addBefore(PipelineNames.TAIL, PipelineNames.EXCHANGES, exchanges);
    }

    @Override
    public ByteBuf leaveHttp(Channel client) {
        return Leftovers.strip(client.pipeline(), PipelineNames.HTTP_STAGES);
    }

    @Override
    public void relay(Channel client, Channel upstream, LongConsumer up, LongConsumer down, Runnable onClosed) {
        openRelays.incrementAndGet();
        RelayIdle idle = new RelayIdle(client, upstream, idleTunnelNanos);
        Relay[] halves = Relay.pair(client, upstream, up, down, idle, () -> {
            openRelays.decrementAndGet();
            onClosed.run();
        });
        client.pipeline().addBefore(PipelineNames.TAIL, PipelineNames.RELAY, halves[0]);
        upstream.pipeline().addLast(PipelineNames.RELAY, halves[1]);
        idle.start();
        Relay.start(client, upstream);
    }

    /** Listens on an intercepted CONNECT's origin for bytes sent before the client spoke. */
    void watchOrigin(Channel origin, Channel client) {
        origin.pipeline().addLast(PipelineNames.ORIGIN_WATCH, new OriginWatch(client));
        origin.read();
    }

    /** Stops listening; bytes the watch held go on to whatever now follows it (the relay). */
    void unwatchOrigin(Channel origin) {
        if (origin.pipeline().get(PipelineNames.ORIGIN_WATCH) != null) {
            origin.pipeline().remove(PipelineNames.ORIGIN_WATCH);
        }
    }

    /** Blind relays open now: CONNECT tunnels and switched (WebSocket) connections. */
    int openRelays() {
        return openRelays.get();
    }
}
