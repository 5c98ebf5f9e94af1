package dev.tollgate.flow;

/**
 * What the TLS legs of a flow negotiated; all null for plain HTTP.
 *
 * @param alpn the protocol agreed with the client (interception)
 * @param upstreamAlpn the protocol agreed with the origin
 * @param upstreamUnverified the origin's certificate was not checked (--insecure-upstream)
 */
public record TlsFacts(
        String sni,
        String clientProtocol,
        String clientCipher,
        String alpn,
        String upstreamProtocol,
        String upstreamCipher,
        String upstreamAlpn,
        String upstreamSubject,
        String verifyError,
        boolean upstreamUnverified) {
    public static final TlsFacts NONE = new TlsFacts(null, null, null, null, null, null, null, null, null, false);
}
