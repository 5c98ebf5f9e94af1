package dev.tollgate.http;

import dev.tollgate.flow.Flows;
import dev.tollgate.net.ClientPipeline;
import dev.tollgate.route.Router;
import dev.tollgate.upstream.UpstreamConnector;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every HTTP stage shares: built once at startup, so that no per-request work rebuilds
 * anything from the config.
 *
 * @param router the current router (a reload swaps it)
 * @param pipeline the pipeline owner, for the stages that leave HTTP (CONNECT, 101)
 * @param via the Via header value this proxy adds, e.g. {@code 1.1 tollgate}
 * @param auth proxy authentication, or null when off
 * @param capture which exchanges keep their bodies for the viewer; null = none
 */
public record HttpProxyContext(
        Supplier<Router> router,
        UpstreamConnector upstream,
        Flows flows,
        ClientPipeline pipeline,
        LocalResponder local,
        String via,
        Duration firstByteTimeout,
        int maxHeaderCount,
        ProxyAuthenticator auth,
        BodyCapturePolicy capture) {}
