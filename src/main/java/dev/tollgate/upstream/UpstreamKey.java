package dev.tollgate.upstream;

/**
 * What a pooled upstream connection is good for: the target, the parent proxy it goes
 * through (or null), for TLS the server name it was verified for (null for plain HTTP), and
 * which protocols its TLS offers the origin in ALPN. The name can differ from the target host:
 * a client may CONNECT to an address and then ask for a name in its ClientHello.
 */
public record UpstreamKey(Endpoint target, Endpoint parent, String serverName, Offer offer) {

    /** The protocols offered to a TLS origin, by what the client leg speaks. */
    public enum Offer {
        /** h2 and HTTP/1.1, the origin chooses: for HTTP/2 clients. */
        H2,
        /**
         * HTTP/1.1 alone, so that an HTTP/1.1 client's exchanges ride pooled HTTP/1.1 connections
         * rather than one h2 stream (a child channel and its codecs) each; an origin that refuses
         * HTTP/1.1 is asked again with h2 offered ({@link UpstreamConnector}).
         */
        HTTP_1_1_FIRST,
        /** HTTP/1.1 and nothing else: a protocol switch (WebSocket) cannot ride an h2 stream. */
        HTTP_1_1
    }

    /** A key whose TLS connections offer h2 as well as HTTP/1.1. */
    public UpstreamKey(Endpoint target, Endpoint parent, String serverName) {
        this(target, parent, serverName, Offer.H2);
    }

    /** The same upstream over HTTP/1.1 only. */
    public UpstreamKey withHttp1Only() {
        return withOffer(Offer.HTTP_1_1);
    }

    /** The key for an HTTP/1.1 client: HTTP/1.1 first, h2 only when the origin insists on it. */
    public UpstreamKey forHttp1Client() {
        return offer == Offer.H2 && tls() ? withOffer(Offer.HTTP_1_1_FIRST) : this;
    }

    public UpstreamKey withOffer(Offer o) {
        return o == offer ? this : new UpstreamKey(target, parent, serverName, o);
    }

    /** h2 is offered in ALPN (it is then the origin's choice). */
    public boolean offersH2() {
        return tls() && offer == Offer.H2;
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
