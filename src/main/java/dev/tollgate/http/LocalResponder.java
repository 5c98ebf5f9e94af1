package dev.tollgate.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.buffer.ByteBufAllocator;

/** Answers requests addressed to the proxy itself (origin-form), never relaying them. */
@FunctionalInterface
public interface LocalResponder {
    FullHttpResponse respond(ByteBufAllocator alloc, HttpRequest request);
}
