package dev.tollgate.upstream;

import dev.tollgate.policy.IpLiteral;

/**
 * A host (name or IP literal, IPv6 without brackets) and port a connection is opened to: the
 * target itself, or the parent proxy in the way ({@link UpstreamKey#connectTo()}). Made from an
 * already validated {@code route.Target}, so it checks nothing; it exists because this layer sits
 * below routing and must not depend on it. A listen address is a {@code config.HostPort}.
 */
public record Endpoint(String host, int port) {
    public String authority() {
        return IpLiteral.authority(host, port);
    }

    @Override
    public String toString() {
        return authority();
    }
}
