package dev.tollgate.server;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.Flows;
import dev.tollgate.net.Channels;
import dev.tollgate.net.Via;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import java.util.function.Consumer;

/**
 * Admits each accepted client connection (within the connection limits), tracks it for the
 * drain at shutdown, and gives it to the pipeline owner.
 */
final class ClientChannelInitializer implements Consumer<Channel> {
    private final ConnectionLimits limits;
    private final ChannelGroup clients;
    private final Flows flows;
    private final Consumer<Channel> next;

    /** @param next what an admitted connection enters: the proxy port's classifier, or the redirected entry */
    ClientChannelInitializer(ConnectionLimits limits, ChannelGroup clients, Flows flows, Consumer<Channel> next) {
        this.limits = limits;
        this.clients = clients;
        this.flows = flows;
        this.next = next;
    }

    @Override
    public void accept(Channel ch) {
        String refused = limits.admit(ch);
        if (refused != null) {
            flows.open(Channels.addressOf(ch.remoteAddress()))
                    .via(Via.of(ch))
                    .mode(FlowMode.DENY)
                    .status(503)
                    .error(refused)
                    .end();
            return;
        }
        clients.add(ch);
        next.accept(ch);
    }
}
