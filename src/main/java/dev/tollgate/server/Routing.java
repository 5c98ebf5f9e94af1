package dev.tollgate.server;

import dev.tollgate.config.ProxyConfig;
import dev.tollgate.route.AutoPassthrough;
import dev.tollgate.route.Router;
import dev.tollgate.route.RoutingPolicy;
import dev.tollgate.route.Target;

/** Builds the router's inputs from the config, once per (re)load. */
final class Routing {
    private Routing() {}

    /**
     * @param canIntercept false when no CA is loaded: every CONNECT is then a blind tunnel
     * @param boundPort the port the listener actually has (the config may say 0)
     */
    static Router from(ProxyConfig c, boolean canIntercept, int boundPort) {
        return from(c, canIntercept, boundPort, AutoPassthrough.off());
    }

    /** @param autoPassthrough the table that outlives this router: reloads keep it */
    static Router from(ProxyConfig c, boolean canIntercept, int boundPort, AutoPassthrough autoPassthrough) {
        Target parent = c.parentProxy() == null ? null : Target.parseAuthority(c.parentProxy(), 80);
        return new Router(
                new RoutingPolicy(
                        c.allowClients(),
                        c.noProxy(),
                        parent,
                        canIntercept && c.intercept(),
                        c.passthrough(),
                        c.interceptClients(),
                        c.connectPorts(),
                        new SelfTargets(boundPort),
                        c.egress()),
                autoPassthrough);
    }
}
