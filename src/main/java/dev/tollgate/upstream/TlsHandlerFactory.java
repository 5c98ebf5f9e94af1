package dev.tollgate.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

/** Makes the client-side TLS handler for a connection to {@code target}. */
public interface TlsHandlerFactory {
    /** @param serverName sent as SNI and verified against the certificate */
    SslHandler newHandler(ByteBufAllocator alloc, Endpoint target, String serverName);

    /** @param offerH2 offer {@code h2} besides {@code http/1.1} in ALPN */
    default SslHandler newHandler(ByteBufAllocator alloc, Endpoint target, String serverName, boolean offerH2) {
        return newHandler(alloc, target, serverName);
    }

    /** True when certificates are not verified (a lab setting that every flow must show). */
    boolean insecure();
}
