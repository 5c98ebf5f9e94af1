package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.route.RouteDecision;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Takes over a client connection after a CONNECT was accepted (tunnel or interception). By
 * then the HTTP handlers are gone from the client's pipeline; {@code early} holds any bytes
 * the client sent right behind the CONNECT request (it may be empty; the taker releases it).
 */
@FunctionalInterface
public interface ConnectHandoff {
    void start(Channel client, RouteDecision decision, Flow flow, ByteBuf early);
}
