package dev.tollgate.server;

import dev.tollgate.flow.Flows;
import dev.tollgate.intercept.InterceptedTls;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;

/**
 * What a redirected connection adds to the inside of a CONNECT: the name the client gives (Host
 * for plain HTTP, the TLS server name for a tunnel by name) checked against its original
 * destination by {@link RedirectedName}.
 */
record RedirectedChecks(RedirectedName names, Flows flows, InetSocketAddress destination) {

    ChannelHandler hostCheck() {
        return new RedirectedHostCheck(names, flows, destination);
    }

    InterceptedTls around(InterceptedTls steps) {
        return new RedirectedTls(steps, names, destination);
    }
}
