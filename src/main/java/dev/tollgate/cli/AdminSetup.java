package dev.tollgate.cli;

import dev.tollgate.admin.AdminParts;
import dev.tollgate.admin.AdminServer;
import dev.tollgate.admin.Readiness;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.FlowLogSink;
import dev.tollgate.server.ProxyServer;
import java.io.IOException;
import org.slf4j.Logger;

/**
 * Starts the admin listener beside the proxy and connects its metrics hooks; the one place
 * {@code run} touches the admin side (the composition root takes these lines over).
 */
final class AdminSetup {
    private AdminSetup() {}

    /** @return the running admin listener, or null when {@code admin.listen} is off */
    static AdminServer start(
            ProxyConfig cfg,
            CertificateAuthority ca,
            ProxyServer server,
            AdminParts parts,
            FlowLogSink flowLog,
            Logger log) {
        if (parts == null) {
            log.info("admin listener off (--admin off)");
            return null;
        }
        parts.metrics().connections(server::openConnections);
        parts.metrics().tunnels(server::openTunnels);
        parts.metrics().flowLogDrops(flowLog::dropped);
        parts.metrics()
                .autoPassthrough(
                        server.autoPassthrough()::entered,
                        () -> server.autoPassthrough().hosts().size());
        server.observeLeaves(parts.metrics());
        AdminServer admin;
        try {
            admin = new AdminServer(
                    cfg.admin(), cfg.certsDir(), ca, readiness(server), parts, server.autoPassthrough());
        } catch (IOException e) {
            throw new StartupException("admin listener: " + e.getMessage(), e);
        }
        try {
            admin.start();
        } catch (Exception e) {
            admin.stop();
            throw new StartupException(
                    "cannot start the admin listener on " + cfg.admin().listen() + " (admin.listen, " + "--admin): "
                            + e.getMessage(),
                    e);
        }
        log.info("admin listener (flow viewer, API, /metrics, /readyz, CA page) on {}", admin.url());
        if (admin.tokenFile() != null) {
            log.info(
                    "admin listener is reachable beyond loopback: every request but /healthz and /readyz needs the "
                            + "token in {} (Authorization: Bearer TOKEN, or log in on the page)",
                    admin.tokenFile());
        }
        return admin;
    }

    /** The proxy's readiness in the admin listener's terms: the reasons it is not ready. */
    private static Readiness readiness(ProxyServer server) {
        return deadline -> server.readiness(deadline).thenApply(r -> r.problems());
    }
}
