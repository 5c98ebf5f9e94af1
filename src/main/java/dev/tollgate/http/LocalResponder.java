package dev.tollgate.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import java.net.SocketAddress;

/** Answers requests addressed to the proxy itself (origin-form), never relaying them. */
@FunctionalInterface
public interface LocalResponder {
    /** @param reached the local address of the client's connection: the proxy as this client sees it */
    FullHttpResponse respond(ByteBufAllocator alloc, HttpRequest request, SocketAddress reached);
}
