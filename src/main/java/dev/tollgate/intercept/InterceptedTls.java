package dev.tollgate.intercept;

import dev.tollgate.http.InterceptSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;

/**
 * The pipeline steps of an intercepted TLS connection, which the pipeline owner performs:
 * {@link LeafSniHandler} decides when, the owner decides how.
 */
public interface InterceptedTls {
    /** The leaf for the client's server name is ready: {@code tls} takes the SNI reader's place. */
    void swapInTls(ChannelHandlerContext sniReader, SslHandler tls);

    /**
     * The client's handshake with the leaf is done: install what runs inside, by the ALPN
     * protocol the handshake chose ({@link InterceptSession#alpn()}: {@code http/1.1}, {@code h2},
     * or null when the client offered none).
     */
    void established(Channel client, InterceptSession session);
}
