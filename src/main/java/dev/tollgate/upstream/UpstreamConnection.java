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
    private boolean reused;

    UpstreamConnection(Channel channel, UpstreamKey key, UpstreamHttpHandler handler, String remote, boolean unverified) {
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

    /** True when it served an earlier exchange: the origin may have closed it meanwhile. */
    public boolean reused() {
        return reused;
    }

    /** How this connection was set up; null once it served an exchange (a reuse costs none of it). */
    public ConnectPhases freshPhases() {
        return reused ? null : channel.attr(ConnectPhases.KEY).get();
    }

    /** The address actually connected to, for the flow log. */
    public String remote() {
        return remote;
    }

    /** The TLS session with the origin, or null for plain HTTP. */
    public SSLSession tlsSession() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return ssl == null ? null : ssl.engine().getSession();
    }

    /** The protocol agreed by ALPN with the origin, or null (plain HTTP, or no ALPN). */
    public String applicationProtocol() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return ssl == null ? null : ssl.applicationProtocol();
    }

    public void attach(UpstreamListener listener) {
        handler.attach(listener);
    }

    void markIdle() {
        reused = true;
        handler.detach();
    }
}
