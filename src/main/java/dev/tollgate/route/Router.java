package dev.tollgate.route;

import dev.tollgate.policy.EgressPolicy;
import java.net.InetAddress;
import java.util.TreeSet;

/**
 * The one ordered decision point for every request and CONNECT. Pure and immutable: a config
 * reload swaps the whole router.
 *
 * <p>Order: who asks (client ACL), then where to (noProxy bypass), then how (intercept or
 * tunnel, direct or via the parent). noProxy wins over interception so that bypassed hosts
 * always see the client's own TLS and keep their real certificate. A host the auto-passthrough
 * table holds is tunnelled where it would have been intercepted: after the client ACL, the
 * egress policy (a deny always wins), noProxy and passthrough. That table is the one mutable
 * input, shared across reloads.
 */
public final class Router {
    private final RoutingPolicy policy;
    private final Hop defaultHop;
    private final AutoPassthrough autoPassthrough;

    public Router(RoutingPolicy policy) {
        this(policy, AutoPassthrough.off());
    }

    public Router(RoutingPolicy policy, AutoPassthrough autoPassthrough) {
        this.policy = policy;
        this.autoPassthrough = autoPassthrough;
        this.defaultHop = policy.parent() == null ? Hop.DIRECT : new Hop.ViaParent(policy.parent());
    }

    public RoutingPolicy policy() {
        return policy;
    }

    /** A CONNECT request for {@code target}. */
    public RouteDecision decideConnect(InetAddress client, Target target) {
        RouteDecision.Deny denied = checkClient(client, target);
        if (denied != null) {
            return denied;
        }
        if (policy.self().test(target)) {
            return new RouteDecision.Deny(target, 508, "loop: " + target + " is this proxy itself");
        }
        RouteDecision.Deny egressDenied = checkEgress(target);
        if (egressDenied != null) {
            return egressDenied;
        }
        if (!policy.connectPorts().isEmpty() && !policy.connectPorts().contains(target.port())) {
            return new RouteDecision.Deny(
                    target,
                    403,
                    "CONNECT to port " + target.port() + " is not allowed (connectPorts: "
                            + new TreeSet<>(policy.connectPorts()) + ")");
        }
        if (policy.noProxy().matches(target.host(), target.port())) {
            return new RouteDecision.Tunnel(target, Hop.DIRECT, true);
        }
        if (mayIntercept(client, target)) {
            if (autoPassthrough.covers(target.host())) {
                return new RouteDecision.Tunnel(target, defaultHop, false, true);
            }
            return new RouteDecision.Intercept(target, defaultHop);
        }
        return new RouteDecision.Tunnel(target, defaultHop, false);
    }

    /** A plain-HTTP request in absolute form for {@code target}. */
    public RouteDecision decideForward(InetAddress client, Target target) {
        RouteDecision.Deny denied = checkClient(client, target);
        if (denied != null) {
            return denied;
        }
        if (policy.self().test(target)) {
            return new RouteDecision.Local(target); // absolute-form to ourselves: answer, never loop
        }
        RouteDecision.Deny egressDenied = checkEgress(target);
        if (egressDenied != null) {
            return egressDenied;
        }
        boolean bypass = policy.noProxy().matches(target.host(), target.port());
        return new RouteDecision.Forward(target, bypass ? Hop.DIRECT : defaultHop);
    }

    private RouteDecision.Deny checkClient(InetAddress client, Target target) {
        String refusal = refusal(client);
        return refusal == null ? null : new RouteDecision.Deny(target, 403, refusal);
    }

    private RouteDecision.Deny checkEgress(Target target) {
        if (policy.egress().check(target.host(), target.port()) instanceof EgressPolicy.Verdict.Denied d) {
            return new RouteDecision.Deny(target, 403, "egress policy: " + d.reason() + " (rule: " + d.rule() + ")");
        }
        return null;
    }

    /** Why this client may not use the proxy at all, or null when it may. */
    public String refusal(InetAddress client) {
        if (policy.clients().allows(client)) {
            return null;
        }
        return "client " + client.getHostAddress() + " is not allowed to use this proxy; allow it with --allow-client "
                + client.getHostAddress() + (client.getAddress().length == 4 ? "/32" : "/128")
                + " (or allowClients in the config)";
    }

    private boolean mayIntercept(InetAddress client, Target target) {
        return policy.intercept()
                && !policy.passthrough().matches(target.host(), target.port())
                && (policy.interceptClients() == null
                        || policy.interceptClients().allows(client));
    }
}
