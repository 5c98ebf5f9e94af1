package dev.tollgate.upstream;

/**
 * What a pooled upstream connection is good for: the target, the parent proxy it goes
 * through (or null), and whether it speaks TLS to the target.
 */
public record UpstreamKey(Endpoint target, Endpoint parent, boolean tls) {

    /** The address the TCP connection goes to. */
    public Endpoint connectTo() {
        return parent != null ? parent : target;
    }

    /**
     * Plain HTTP through a parent proxy sends absolute-form requests to it; everything else
     * (direct, or TLS tunnelled through the parent with CONNECT) speaks origin-form.
     */
    public boolean absoluteForm() {
        return parent != null && !tls;
    }

    /** Through the parent, TLS needs a CONNECT tunnel first. */
    boolean needsParentTunnel() {
        return parent != null && tls;
    }
}
