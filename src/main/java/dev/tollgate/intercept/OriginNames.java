package dev.tollgate.intercept;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The DNS names of the origin's certificate, copied into the forged leaf (as mitmproxy and
 * Squid do) so a client that asks for one name of a multi-name host still matches.
 */
final class OriginNames {
    private static final int DNS_NAME = 2;
    private static final int MAX_NAMES = 100;

    private OriginNames() {}

    static List<String> dnsNames(SSLSession session) {
        if (session == null) {
            return List.of();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return List.of();
            }
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            List<String> names = new ArrayList<>();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(DNS_NAME).equals(san.get(0)) && names.size() < MAX_NAMES) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
            return names;
        } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
            return List.of();
        }
    }
}
