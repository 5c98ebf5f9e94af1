package dev.tollgate.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

/** Makes the client-side TLS handler for a connection to {@code target} (SNI, verification). */
public interface TlsHandlerFactory {
    SslHandler newHandler(ByteBufAllocator alloc, Endpoint target);
}
