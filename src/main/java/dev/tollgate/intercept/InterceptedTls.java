package dev.tollgate.intercept;

import dev.tollgate.flow.Flow;
import dev.tollgate.http.InterceptSession;
import dev.tollgate.route.RouteDecision;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;

/**
 * The pipeline steps of an intercepted TLS connection, which the pipeline owner performs:
 * {@link LeafSniHandler} decides when, the owner decides how.
 */
public interface InterceptedTls {
    /**
     * The route for the CONNECT again, now that the ClientHello named a server other than the
     * CONNECT target (a client that CONNECTs to an address): noProxy, passthrough and egress rules
     * written for names apply to it too. {@link RouteDecision.Intercept} to go on intercepting.
     */
    RouteDecision decideBySni(Channel client, RouteDecision.Intercept connect, String sni);

    /**
     * The server name chose another route: relay blind with the ClientHello (the SNI reader
     * still holds it), or refuse; the SNI reader is taken out either way.
     */
    void reroute(ChannelHandlerContext sniReader, RouteDecision decision, Flow flow, Channel origin);

    /** The leaf for the client's server name is ready: {@code tls} takes the SNI reader's place. */
    void swapInTls(ChannelHandlerContext sniReader, SslHandler tls);

    /**
     * The client's handshake with the leaf is done: install what runs inside, by the ALPN
     * protocol the handshake chose ({@link InterceptSession#alpn()}: {@code http/1.1}, {@code h2},
     * or null when the client offered none).
     */
    void established(Channel client, InterceptSession session);
}
