package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.route.Hop;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Target;

/**
 * What the HTTP front end of an intercepted CONNECT knows about it: where it goes, the name
 * the client asked for in TLS (null when the client spoke plain HTTP inside the tunnel), the
 * client side's TLS facts, and an upstream failure found before the handshake (a bad origin
 * certificate), which every request then gets as a 502 instead of being relayed.
 */
public record InterceptSession(
        RouteDecision.Intercept decision,
        String serverName,
        String sni,
        String clientProtocol,
        String clientCipher,
        String alpn,
        String upstreamFailure,
        int failureStatus,
        String verifyError,
        String noProxyAdvice) {

    public Target target() {
        return decision.target();
    }

    public Hop hop() {
        return decision.hop();
    }

    /** Copies the session's facts onto a flow of one exchange inside it. */
    public void stamp(Flow flow) {
        flow.mode(FlowMode.INTERCEPT);
        flow.tls().sni(sni).clientSide(clientProtocol, clientCipher).alpn(alpn).verifyError(verifyError);
        flow.noProxyAdvice(noProxyAdvice);
    }
}
