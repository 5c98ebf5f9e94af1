package dev.tollgate.http;

import dev.tollgate.flow.Flows;
import dev.tollgate.route.Router;
import dev.tollgate.upstream.UpstreamConnector;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every HTTP front end shares: built once at startup, so that no per-request work
 * rebuilds anything from the config.
 *
 * @param router the current router (a reload swaps it)
 * @param via the Via header value this proxy adds, e.g. {@code 1.1 tollgate}
 * @param auth proxy authentication, or null when off
 * @param idleTunnel how long a switched (WebSocket) connection may sit without bytes
 */
public record HttpProxyContext(
        Supplier<Router> router,
        UpstreamConnector upstream,
        Flows flows,
        ConnectHandoff connect,
        LocalResponder local,
        String via,
        Duration firstByteTimeout,
        int maxHeaderCount,
        ProxyAuthenticator auth,
        Duration idleTunnel) {}
