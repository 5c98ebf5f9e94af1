package dev.tollgate.flow;

/**
 * Where a flow's time went, in microseconds; -1 where a phase did not happen (a pooled
 * upstream connection has no DNS, connect or upstream TLS phase of its own).
 *
 * @param dns resolving the upstream's name
 * @param connect the upstream TCP connect (and the parent's CONNECT, when there is one)
 * @param upstreamTls the TLS handshake with the origin
 * @param clientTls the TLS handshake with the client (interception, TLS to the proxy)
 * @param firstByte from the flow's start to the first byte of the response head
 * @param total from the flow's start to its end; -1 while it runs
 */
public record FlowTimings(long dns, long connect, long upstreamTls, long clientTls, long firstByte, long total) {
    public static final FlowTimings NONE = new FlowTimings(-1, -1, -1, -1, -1, -1);
}
