package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.upstream.UpstreamConnection;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Puts what the upstream TLS session negotiated on the flow. */
final class UpstreamTlsFacts {
    private UpstreamTlsFacts() {}

    static void record(UpstreamConnection c, Flow flow) {
        SSLSession s = c.tlsSession();
        if (s == null) {
            return;
        }
        flow.tls().upstreamSide(s.getProtocol(), s.getCipherSuite()).upstreamUnverified(c.unverified());
        String alpn = c.applicationProtocol();
        if (alpn != null) {
            flow.tls().upstreamAlpn(alpn);
        }
        try {
            Certificate[] chain = s.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                flow.tls().upstreamSubject(x.getSubjectX500Principal().getName());
            }
        } catch (SSLPeerUnverifiedException e) {
            flow.tls().upstreamSubject("(unverified)");
        }
    }
}
