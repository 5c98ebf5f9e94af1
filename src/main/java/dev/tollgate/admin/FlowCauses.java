package dev.tollgate.admin;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.upstream.InClusterNames;
import java.util.Locale;

/**
 * Sorts a finished flow's error into the small, fixed label sets the metrics use (a label per
 * message text would give Prometheus unbounded series). It reads the proxy's own error words,
 * so a new message the table does not know lands in {@code other} rather than a new series.
 */
final class FlowCauses {
    static final String NONE = null;
    static final String[] DENIALS = {"acl", "auth", "egress", "connect_port", "limit", "loop", "other"};
    static final String[] UPSTREAM_FAILURES = {
        "dns", "connect_timeout", "refused", "unreachable", "tls", "parent", "first_byte_timeout", "other"
    };
    static final String[][] TLS_FAILURES = {
        {"client", "client_does_not_trust_ca"},
        {"client", "timeout"},
        {"client", "closed"},
        {"client", "other"},
        {"upstream", "untrusted_certificate"},
        {"upstream", "expired_certificate"},
        {"upstream", "not_yet_valid_certificate"},
        {"upstream", "name_mismatch"},
        {"upstream", "other"}
    };

    private FlowCauses() {}

    /** acl, auth, egress, connect_port, limit, loop, other; null when the flow was not denied. */
    static String denial(FlowRecord f) {
        if (f.mode() != FlowMode.DENY) {
            return NONE;
        }
        String e = lower(f.error());
        if (f.status() == 407) {
            return "auth";
        }
        if (e.startsWith("egress policy")) {
            return "egress";
        }
        if (e.contains("is not allowed to use this proxy")) {
            return "acl";
        }
        if (e.contains("connect to port")) {
            return "connect_port";
        }
        if (f.status() == 429 || f.status() == 503) {
            return "limit";
        }
        return f.status() == 508 ? "loop" : "other";
    }

    /** dns, connect_timeout, refused, unreachable, tls, parent, first_byte_timeout, other; null if none. */
    static String upstreamFailure(FlowRecord f) {
        String e = lower(f.error());
        if (e.isEmpty() || f.mode() == FlowMode.DENY) {
            return NONE;
        }
        if (e.startsWith("unknown host") || e.startsWith("unknown parent proxy host")) {
            return "dns";
        }
        if (e.startsWith("timed out connecting")) {
            return "connect_timeout";
        }
        if (e.startsWith("connection refused by")) {
            return "refused";
        }
        if (e.startsWith("no route to") || e.startsWith("cannot connect to")) {
            return "unreachable";
        }
        if (e.startsWith("tls handshake with")) {
            return "tls";
        }
        if (e.startsWith("parent proxy")) {
            return "parent";
        }
        if (e.startsWith("upstream ") && e.contains("did not answer within")) {
            return "first_byte_timeout";
        }
        return f.status() == 502 || f.status() == 504 ? "other" : NONE;
    }

    /** {leg, reason} of a failed TLS handshake, or null. */
    static String[] tlsFailure(FlowRecord f) {
        String e = lower(f.error());
        if (e.startsWith("tls handshake with")) {
            String reason = e.contains("not signed by a trusted ca")
                    ? "untrusted_certificate"
                    : e.contains("has expired")
                            ? "expired_certificate"
                            : e.contains("not valid yet")
                                    ? "not_yet_valid_certificate"
                                    : e.contains("does not match the name") ? "name_mismatch" : "other";
            return new String[] {"upstream", reason};
        }
        if (e.contains("does not trust the tollgate ca")) {
            return new String[] {"client", "client_does_not_trust_ca"};
        }
        if (e.startsWith("client tls handshake timed out")) {
            return new String[] {"client", "timeout"};
        }
        if (e.startsWith("client closed the connection during the tls handshake")) {
            return new String[] {"client", "closed"};
        }
        if (e.startsWith("client tls handshake failed")) {
            return new String[] {"client", "other"};
        }
        return null;
    }

    /**
     * The in-cluster rule a flow's noProxy advice came from ({@code InClusterNames.RULES}), or
     * null: the label of {@code tollgate_in_cluster_names_total}. The entry itself is not a
     * label, as for a dotless name it is whatever name a client sent.
     */
    static String inClusterRule(FlowRecord f) {
        String entry = f.noProxyAdvice();
        if (entry == null) {
            return NONE;
        }
        if (entry.indexOf('.') < 0) {
            return InClusterNames.DOTLESS;
        }
        if (entry.startsWith(".privatelink.")) {
            return InClusterNames.PRIVATELINK;
        }
        return InClusterNames.RULES.contains(entry) ? entry : "other";
    }

    static String statusClass(int status) {
        return status <= 0 ? "none" : (status / 100) + "xx";
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
