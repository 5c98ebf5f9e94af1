package dev.tollgate.flow;

import java.util.Locale;

/** What the proxy did with a flow: the word the flow log, the viewer and the metrics use. */
public enum FlowMode {
    /** Plain HTTP in absolute form, relayed to its origin (or the parent proxy). */
    FORWARD,
    /** A CONNECT whose TLS was terminated with a forged leaf and whose requests were decoded. */
    INTERCEPT,
    /** A CONNECT relayed blind (passthrough, no CA, or neither TLS nor HTTP inside). */
    TUNNEL,
    /** A CONNECT relayed blind because noProxy names its target. */
    BYPASS,
    /** A CONNECT relayed blind because clients kept rejecting its forged leaf (auto-passthrough). */
    AUTO_BYPASS("bypass (auto)"),
    /** Refused by the proxy: ACL, credentials, egress policy, limits, malformed input. */
    DENY,
    /** Addressed to the proxy itself and answered there. */
    LOCAL;

    private final String word;

    FlowMode() {
        this.word = name().toLowerCase(Locale.ROOT);
    }

    FlowMode(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The mode for a route decision's word (the router speaks the same words). */
    public static FlowMode ofWord(String word) {
        for (FlowMode m : values()) {
            if (m.word.equalsIgnoreCase(word)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no flow mode " + word);
    }

    @Override
    public String toString() {
        return word;
    }
}
