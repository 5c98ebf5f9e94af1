package dev.tollgate.http;

import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.Flow;
import dev.tollgate.policy.NoProxyList;

/**
 * Which exchanges keep their bodies for the flow viewer: only targets the operator listed in
 * {@code admin.capture.hosts}, and only the first {@code admin.capture.maxBodyBytes} of each body.
 * Off (null) unless the admin listener is on and the list is not empty.
 */
public record BodyCapturePolicy(NoProxyList hosts, int limit) {

    /** Null when nothing is captured. */
    public static BodyCapturePolicy of(ProxyConfig.Admin admin) {
        return admin.enabled() && !admin.captureHosts().isEmpty()
                ? new BodyCapturePolicy(admin.captureHosts(), admin.captureMaxBodyBytes())
                : null;
    }

    void apply(Flow flow, String host, int port) {
        if (hosts.matches(host, port)) {
            flow.captureBodies(limit);
        }
    }
}
