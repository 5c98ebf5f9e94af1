package dev.tollgate.intercept;

import dev.tollgate.flow.Flow;
import dev.tollgate.route.RouteDecision;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/** Relays a CONNECT whose 200 was already sent, when what follows is neither TLS nor HTTP. */
@FunctionalInterface
public interface BlindRelay {
    void relay(Channel client, RouteDecision.Tunnel tunnel, Flow flow, ByteBuf early);
}
