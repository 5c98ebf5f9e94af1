package dev.tollgate.intercept;

import dev.tollgate.ca.LeafCache;
import dev.tollgate.flow.Flows;
import dev.tollgate.route.AutoPassthrough;
import dev.tollgate.tls.LeafContexts;
import dev.tollgate.upstream.UpstreamConnector;
import java.time.Duration;

/**
 * What interception needs, built once at startup.
 *
 * @param autoPassthrough hears each client's rejection of a forged leaf
 */
public record InterceptServices(
        UpstreamConnector upstream,
        LeafCache leaves,
        LeafContexts contexts,
        Flows flows,
        Duration handshakeTimeout,
        AutoPassthrough autoPassthrough) {}
