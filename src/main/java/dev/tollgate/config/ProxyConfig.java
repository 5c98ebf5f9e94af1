package dev.tollgate.config;

import dev.tollgate.policy.ClientAcl;
import dev.tollgate.policy.EgressPolicy;
import dev.tollgate.policy.NoProxyList;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole configuration, immutable, built once by {@link ConfigLoader} from the YAML file,
 * then the environment, then the command line.
 *
 * @param parentProxy {@code host:port} of the parent proxy, or null
 * @param hosts static host map: names resolved to these addresses before DNS (tests, labs)
 * @param interceptClients clients whose TLS may be intercepted; null = every allowed client
 * @param ca combined PEM or PKCS#12 CA file, or null
 * @param caCert CA certificate PEM (with {@code caKey}), or null
 * @param certsDir where the default CA lives and is created on first start
 * @param tlsKeylog where both TLS legs' session secrets are appended (NSS key log format), or null
 * @param admin the admin listener (flow viewer, API, metrics, health)
 * @param transparent where redirected (iptables REDIRECT or TPROXY) connections are accepted;
 *     null = transparent mode off
 * @param autoPassthrough when a host whose clients keep rejecting the forged leaf is tunnelled blind
 */
public record ProxyConfig(
        HostPort listen,
        NoProxyList noProxy,
        ClientAcl allowClients,
        String parentProxy,
        FlowFormat flowLog,
        Map<String, String> hosts,
        boolean intercept,
        NoProxyList passthrough,
        ClientAcl interceptClients,
        Path ca,
        Path caCert,
        Path caKey,
        Path caPasswordFile,
        Path certsDir,
        Path upstreamTrust,
        boolean insecureUpstream,
        Path tlsKeylog,
        List<String> proxyNames,
        Set<Integer> connectPorts,
        Path proxyAuthFile,
        EgressPolicy egress,
        Timeouts timeouts,
        Limits limits,
        Admin admin,
        HostPort transparent,
        Http2Limits http2,
        AutoPassthroughSettings autoPassthrough,
        List<String> warnings) {

    /**
     * @param maxInitialLine longest request line accepted (414 past it)
     * @param maxHeaderSize largest request header block (431 past it)
     * @param maxIdlePerUpstream pooled idle connections kept per upstream and event loop
     * @param maxHeaderCount most header fields in a request (431 past it)
     * @param connections client connections open at once, in total and per client address
     * @param maxPipelined requests a client may queue behind the one being answered
     */
    public record Limits(
            int maxInitialLine,
            int maxHeaderSize,
            int maxIdlePerUpstream,
            int maxHeaderCount,
            ConnectionBudget connections,
            int maxPipelined) {}

    /**
     * @param listen where the admin listener binds; null = off ({@code --admin off})
     * @param tokenFile the bearer token needed beyond loopback; null = generated next to the CA
     * @param flowsMax most flows kept for the viewer
     * @param flowsMaxBytes estimated bytes those flows may take, bodies included
     * @param captureHosts targets whose bodies are kept (noProxy syntax); empty = none
     * @param captureMaxBodyBytes most bytes kept of one captured body
     */
    public record Admin(
            HostPort listen,
            Path tokenFile,
            int flowsMax,
            long flowsMaxBytes,
            NoProxyList captureHosts,
            int captureMaxBodyBytes) {

        public boolean enabled() {
            return listen != null;
        }
    }
}
