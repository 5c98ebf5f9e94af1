package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.route.RouteDecision;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Takes over a client connection whose CONNECT was answered 200 (tunnel or interception). By
 * then the HTTP stages are gone from the client's pipeline and the origin is connected.
 * Implemented by the pipeline owner, which decides what runs inside.
 */
@FunctionalInterface
public interface ConnectHandoff {
    /**
     * @param early the bytes the client sent right behind the CONNECT request (possibly empty;
     *     the taker releases them)
     * @param origin the open TCP connection to the target (through the parent proxy when the hop
     *     says so), AUTO_READ off, nothing read from it yet; null for an intercepted CONNECT
     *     answered on the strength of an idle verified connection in the pool
     */
    void accepted(Channel client, RouteDecision decision, Flow flow, ByteBuf early, Channel origin);
}
