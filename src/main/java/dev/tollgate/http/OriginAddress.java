package dev.tollgate.http;

import dev.tollgate.route.Hop;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Target;
import dev.tollgate.upstream.Endpoint;

/**
 * Where the upstream connection for a route goes: the target the client named, and the parent
 * proxy to dial instead when the route's hop goes through one.
 *
 * @param parent null for a direct hop
 */
public record OriginAddress(Endpoint target, Endpoint parent) {
    public static OriginAddress of(Target target, Hop hop) {
        Endpoint parent = hop instanceof Hop.ViaParent p
                ? new Endpoint(p.parent().host(), p.parent().port())
                : null;
        return new OriginAddress(new Endpoint(target.host(), target.port()), parent);
    }

    /** For a CONNECT (or a redirected connection) that is tunnelled or intercepted. */
    public static OriginAddress ofConnect(RouteDecision decision) {
        Hop hop = decision instanceof RouteDecision.Tunnel t ? t.hop() : ((RouteDecision.Intercept) decision).hop();
        return of(decision.target(), hop);
    }
}
