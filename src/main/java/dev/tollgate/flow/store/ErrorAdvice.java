package dev.tollgate.flow.store;

import dev.tollgate.flow.FlowRecord;
import java.util.Locale;

/** What an operator can do about a flow's error: the line under the error in the detail pane. */
final class ErrorAdvice {
    private ErrorAdvice() {}

    static String of(FlowRecord f) {
        if (f.error() == null) {
            return null;
        }
        if (f.noProxyAdvice() != null) {
            return "The name looks in-cluster or private and does not resolve on the proxy host: add "
                    + f.noProxyAdvice() + " to noProxy (and to the cluster's httpProxyConfig) so clients reach it "
                    + "directly instead of through the proxy.";
        }
        String e = f.error().toLowerCase(Locale.ROOT);
        if (f.tls().verifyError() != null || e.contains("upstream certificate")) {
            return "The origin's certificate did not verify. If the origin uses a private CA, add it with "
                    + "upstreamTrust; never re-sign a bad certificate.";
        }
        if (e.contains("unknown_ca")
                || e.contains("certificate_unknown")
                || e.contains("does not trust")
                || e.contains("bad_certificate")) {
            return "The client does not trust the Tollgate CA: install it (see the CA page, /ca), or list the host "
                    + "in passthrough or noProxy for clients that pin certificates.";
        }
        if (e.contains("egress")) {
            return "The egress policy refused this destination: add it to egress.allow (see /api/inventory.yaml) "
                    + "if it should leave.";
        }
        if (e.contains("allowclients") || e.contains("--allow-client") || e.contains("not allowed to use")) {
            return "The client is outside allowClients: add its range with --allow-client or allowClients.";
        }
        if (e.contains("timed out") || e.contains("timeout")) {
            return "Something did not answer in time: check the origin's reachability from the proxy host and the "
                    + "timeouts.* settings.";
        }
        if (e.contains("resolve") || e.contains("unknown host") || e.contains("dns")) {
            return "The name did not resolve on the proxy host: check its DNS (or the hosts map).";
        }
        if (e.contains("refused")) {
            return "The origin (or the parent proxy) refused the connection: is it listening on that port?";
        }
        return null;
    }
}
