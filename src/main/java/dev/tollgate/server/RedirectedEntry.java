package dev.tollgate.server;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.http.OriginAddress;
import dev.tollgate.net.Channels;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Target;
import dev.tollgate.upstream.Endpoint;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.function.Predicate;

/**
 * A connection accepted on the transparent listener: one that iptables redirected, whose client
 * asked no proxy. It goes where a CONNECT to its original destination would: the route decision
 * for that address (client ACL, egress policy, noProxy, passthrough, interception), the TCP
 * connection to exactly that address, then the classifier of the first bytes, the forged leaf
 * or the blind relay, and the TLS server name as the name for a second decision, as inside a
 * CONNECT. Plain HTTP gets its Host header checked ({@link RedirectedHostCheck}).
 */
final class RedirectedEntry {
    static final String VIA = "transparent";

    private final PipelineOwner owner;
    private final HttpProxyContext context;
    private final NextLayer next;
    private final RedirectedName names;
    private final Predicate<Target> listenerItself;

    RedirectedEntry(
            PipelineOwner owner,
            HttpProxyContext context,
            NextLayer next,
            RedirectedName names,
            Predicate<Target> listenerItself) {
        this.owner = owner;
        this.context = context;
        this.next = next;
        this.names = names;
        this.listenerItself = listenerItself;
    }

    void accepted(Channel client) {
        owner.acceptRedirected(client);
        Flow flow =
                context.flows().open(Channels.addressOf(client.remoteAddress())).via(VIA);
        InetSocketAddress destination;
        Target target;
        try {
            destination = OriginalDestination.of(client);
            target = new Target(hostOf(destination), destination.getPort());
        } catch (IOException | IllegalArgumentException e) {
            refuse(client, flow.mode(FlowMode.DENY), "cannot read the original destination: " + e.getMessage());
            return;
        }
        flow.request("CONNECT", target.authority());
        if (listenerItself.test(target)) {
            refuse(
                    client,
                    flow.mode(FlowMode.DENY).status(508),
                    "loop: the original destination " + target + " is the transparent listener itself "
                            + "(the connection was not redirected; connect through an iptables REDIRECT or TPROXY rule)");
            return;
        }
        RouteDecision decision =
                context.router().get().decideConnect(((InetSocketAddress) client.remoteAddress()).getAddress(), target);
        flow.mode(FlowMode.ofWord(decision.mode()));
        if (decision instanceof RouteDecision.Deny deny) {
            refuse(client, flow.status(deny.status()), deny.reason());
            return;
        }
        connect(client, decision, flow, destination);
    }

    private void connect(Channel client, RouteDecision decision, Flow flow, InetSocketAddress destination) {
        OriginAddress address = OriginAddress.ofConnect(decision);
        Endpoint target = address.target();
        Endpoint parent = address.parent();
        context.upstream().openTunnel(client.eventLoop(), target, parent).addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                refuse(
                        client,
                        flow.status(502),
                        "cannot open a connection to " + target + ": "
                                + f.cause().getMessage());
                return;
            }
            Channel origin = f.getNow();
            if (!client.isActive()) {
                origin.close();
                flow.error("client closed before the connection to the origin was up")
                        .end();
                return;
            }
            flow.upstream(parent != null ? parent.authority() : Channels.addressOf(origin.remoteAddress()));
            next.redirected(client, decision, flow, origin, new RedirectedChecks(names, context.flows(), destination));
        });
    }

    /** The client asked nothing of the proxy, so there is nobody to answer in HTTP: the flow says why. */
    private static void refuse(Channel client, Flow flow, String reason) {
        flow.error(reason).end();
        client.close();
    }

    private static String hostOf(InetSocketAddress destination) {
        String text = destination.getAddress().getHostAddress();
        if (destination.getAddress() instanceof Inet6Address) {
            int scope = text.indexOf('%');
            return scope < 0 ? text : text.substring(0, scope);
        }
        return text;
    }
}
