package dev.tollgate.flow;

/**
 * The readable one-line form of a flow:
 * {@code 127.0.0.1:50512 GET http://example.com/ forward 93.184.216.34:80 200 up=0 down=1256 12ms},
 * followed on intercepted flows by each TLS leg as protocol/cipher/ALPN and the origin
 * certificate's subject, and by the HTTP versions when a leg is not HTTP/1.1.
 */
final class FlowLine {
    private FlowLine() {}

    static String of(FlowRecord f) {
        StringBuilder b = new StringBuilder(200);
        b.append(f.client())
                .append(' ')
                .append(orDash(f.method()))
                .append(' ')
                .append(orDash(f.url()))
                .append(' ')
                .append(f.mode() == null ? "-" : f.mode().word())
                .append(' ')
                .append(orDash(f.upstream()))
                .append(' ')
                .append(f.status() > 0 ? Integer.toString(f.status()) : "-")
                .append(" up=")
                .append(f.bytesUp())
                .append(" down=")
                .append(f.bytesDown())
                .append(' ')
                .append(f.durationMillis())
                .append("ms");
        if (f.via() != null) {
            b.append(" via=").append(f.via());
        }
        versions(b, f);
        tls(b, f.tls());
        if (f.error() != null) {
            b.append(" error=\"").append(f.error()).append('"');
        }
        if (f.noProxyAdvice() != null) {
            b.append(" advice=noProxy:").append(f.noProxyAdvice());
        }
        if (f.keyLog()) {
            b.append(" keylog=on");
        }
        return b.toString();
    }

    private static void versions(StringBuilder b, FlowRecord f) {
        String client = f.clientVersion();
        String upstream = f.upstreamVersion();
        boolean plain =
                (client == null || client.equals("HTTP/1.1")) && (upstream == null || upstream.equals("HTTP/1.1"));
        if (!plain) {
            b.append(" http=").append(orDash(client)).append('>').append(orDash(upstream));
        }
        if (f.streamId() > 0) {
            b.append(" stream=").append(f.streamId());
        }
    }

    private static void tls(StringBuilder b, TlsFacts t) {
        if (t.sni() != null) {
            b.append(" sni=").append(t.sni());
        }
        if (t.clientProtocol() != null) {
            b.append(" client-tls=").append(leg(t.clientProtocol(), t.clientCipher(), t.alpn()));
        }
        if (t.upstreamProtocol() != null) {
            b.append(" origin-tls=").append(leg(t.upstreamProtocol(), t.upstreamCipher(), t.upstreamAlpn()));
        }
        if (t.upstreamSubject() != null) {
            b.append(" origin-cert=\"").append(t.upstreamSubject()).append('"');
        }
        if (t.upstreamUnverified()) {
            b.append(" upstream-verify=OFF");
        }
        if (t.verifyError() != null) {
            b.append(" verify-error=\"").append(t.verifyError()).append('"');
        }
    }

    private static String leg(String protocol, String cipher, String alpn) {
        StringBuilder s = new StringBuilder(protocol);
        if (cipher != null) {
            s.append('/').append(cipher);
        }
        if (alpn != null) {
            s.append('/').append(alpn);
        }
        return s.toString();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
