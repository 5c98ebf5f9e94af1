package dev.tollgate.upstream;

/**
 * What a pooled upstream connection is good for: the target, the parent proxy it goes
 * through (or null), and for TLS the server name it was verified for (null for plain HTTP).
 * The name can differ from the target host: a client may CONNECT to an address and then ask
 * for a name in its ClientHello.
 */
public record UpstreamKey(Endpoint target, Endpoint parent, String serverName, boolean http1Only) {

    /** A key whose TLS connections offer h2 as well as HTTP/1.1. */
    public UpstreamKey(Endpoint target, Endpoint parent, String serverName) {
        this(target, parent, serverName, false);
    }

    /**
     * The same upstream over HTTP/1.1 only: a request that asks to switch protocols (WebSocket)
     * cannot ride an h2 stream.
     */
    public UpstreamKey withHttp1Only() {
        return new UpstreamKey(target, parent, serverName, true);
    }

    /** h2 is offered in ALPN (it is then the origin's choice). */
    public boolean offersH2() {
        return tls() && !http1Only;
    }

    public static UpstreamKey plain(Endpoint target, Endpoint parent) {
        return new UpstreamKey(target, parent, null);
    }

    public boolean tls() {
        return serverName != null;
    }

    /** The address the TCP connection goes to. */
    public Endpoint connectTo() {
        return parent != null ? parent : target;
    }

    /**
     * Plain HTTP through a parent proxy sends absolute-form requests to it; everything else
     * (direct, or TLS tunnelled through the parent with CONNECT) speaks origin-form.
     */
    public boolean absoluteForm() {
        return parent != null && !tls();
    }
}
