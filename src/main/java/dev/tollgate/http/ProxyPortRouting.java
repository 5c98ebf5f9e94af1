package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Router;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Requests sent to the proxy port: absolute-form ones go where their URL says, as the router
 * decides for each; origin-form ones are for the proxy itself.
 */
public final class ProxyPortRouting implements RequestRouting {
    private final Supplier<Router> router;

    public ProxyPortRouting(Supplier<Router> router) {
        this.router = router;
    }

    @Override
    public Route route(Channel client, HttpRequest request, Flow flow) {
        String uri = request.uri();
        if (uri.startsWith("/")) {
            return new Route.Local();
        }
        RequestTarget target;
        RouteDecision decision;
        try {
            target = RequestTarget.parseAbsolute(uri);
            decision = router.get()
                    .decideForward(((InetSocketAddress) client.remoteAddress()).getAddress(), target.target());
        } catch (IllegalArgumentException e) {
            return new Route.Refuse(400, e.getMessage());
        }
        flow.request(request.method().name(), target.absolute()).mode(FlowMode.ofWord(decision.mode()));
        if (decision instanceof RouteDecision.Deny deny) {
            return new Route.Refuse(deny.status(), deny.reason());
        }
        if (decision instanceof RouteDecision.Forward forward) {
            return new Route.Relay(target, forward.hop());
        }
        return new Route.Local();
    }

    @Override
    public void closedWithoutRequest(Channel client) {
        // a client that connects and leaves: nothing happened worth a flow
    }
}
