package dev.tollgate.route;

import dev.tollgate.policy.ClientAcl;
import dev.tollgate.policy.EgressPolicy;
import dev.tollgate.policy.NoProxyList;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The inputs of the route decision, taken from the config once so that deciding allocates
 * nothing config-derived per request.
 *
 * @param parent the parent proxy, or null to go direct
 * @param interceptClients clients whose CONNECTs may be intercepted; null = every client
 * @param connectPorts ports CONNECT may reach; empty = every port
 * @param self true for a target that is this proxy's own listener (a loop)
 * @param egress which destinations may leave at all
 */
public record RoutingPolicy(
        ClientAcl clients,
        NoProxyList noProxy,
        Target parent,
        boolean intercept,
        NoProxyList passthrough,
        ClientAcl interceptClients,
        Set<Integer> connectPorts,
        Predicate<Target> self,
        EgressPolicy egress) {}
