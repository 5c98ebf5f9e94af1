package dev.tollgate.upstream;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLSession;

/** An HTTP connection to an upstream, leased to one exchange at a time. */
public final class UpstreamConnection {
    private final Channel channel;
    private final UpstreamKey key;
    private final UpstreamHttpHandler handler;
    private final String remote;
    private final boolean unverified;
    private final String protocol;
    private boolean reused;

    UpstreamConnection(
            Channel channel, UpstreamKey key, UpstreamHttpHandler handler, String remote, boolean unverified) {
        this(channel, key, handler, remote, unverified, "http/1.1");
    }

    /** @param protocol {@code h2} for a stream of a shared HTTP/2 connection, else {@code http/1.1} */
    UpstreamConnection(
            Channel channel,
            UpstreamKey key,
            UpstreamHttpHandler handler,
            String remote,
            boolean unverified,
            String protocol) {
        this.protocol = protocol;
        this.channel = channel;
        this.key = key;
        this.handler = handler;
        this.remote = remote;
        this.unverified = unverified;
    }

    /** TLS without certificate verification (--insecure-upstream). */
    public boolean unverified() {
        return unverified;
    }

    public Channel channel() {
        return channel;
    }

    public UpstreamKey key() {
        return key;
    }

    /** {@code h2} (this is one stream of a shared connection) or {@code http/1.1}. */
    public String protocol() {
        return protocol;
    }

    /** An HTTP/2 stream: done after one exchange, never pooled itself (its connection is). */
    public boolean stream() {
        return channel.parent() != null;
    }

    /** True when it served an earlier exchange: the origin may have closed it meanwhile. */
    public boolean reused() {
        return reused;
    }

    /** How this connection was set up; null once it served an exchange (a reuse costs none of it). */
    public ConnectPhases freshPhases() {
        return reused || stream() ? null : channel.attr(ConnectPhases.KEY).get(); // a stream set up nothing
    }

    /** The address actually connected to, for the flow log. */
    public String remote() {
        return remote;
    }

    /** The TLS session with the origin, or null for plain HTTP. */
    public SSLSession tlsSession() {
        Channel connection = stream() ? channel.parent() : channel;
        SslHandler ssl = connection.pipeline().get(SslHandler.class);
        return ssl == null ? null : ssl.engine().getSession();
    }

    /** The protocol agreed by ALPN with the origin, or null (plain HTTP, or no ALPN). */
    public String applicationProtocol() {
        SslHandler ssl = (stream() ? channel.parent() : channel).pipeline().get(SslHandler.class);
        return ssl == null ? null : ssl.applicationProtocol();
    }

    public void attach(UpstreamListener listener) {
        handler.attach(listener);
    }

    /** A stream on an h2 connection that served before: like a pooled connection, it may have died meanwhile. */
    void markReused() {
        reused = true;
    }

    void markIdle() {
        reused = true;
        handler.detach();
    }
}
