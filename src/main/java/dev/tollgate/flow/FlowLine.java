package dev.tollgate.flow;

/**
 * The readable one-line form of a flow:
 * {@code 127.0.0.1:50512 GET http://example.com/ forward 93.184.216.34:80 200 up=0 down=1256 12ms}.
 */
final class FlowLine {
    private FlowLine() {}

    static String of(Flow f) {
        StringBuilder b = new StringBuilder(160);
        b.append(f.client()).append(' ')
                .append(orDash(f.method())).append(' ')
                .append(orDash(f.url())).append(' ')
                .append(orDash(f.mode())).append(' ')
                .append(orDash(f.upstream())).append(' ')
                .append(f.status() > 0 ? Integer.toString(f.status()) : "-")
                .append(" up=").append(f.bytesUp())
                .append(" down=").append(f.bytesDown())
                .append(' ').append(f.durationMillis()).append("ms");
        TlsFacts t = f.tls();
        if (t.sni() != null) {
            b.append(" sni=").append(t.sni());
        }
        if (t.upstreamUnverified()) {
            b.append(" upstream-verify=OFF");
        }
        if (t.verifyError() != null) {
            b.append(" verify-error=\"").append(t.verifyError()).append('"');
        }
        if (f.error() != null) {
            b.append(" error=\"").append(f.error()).append('"');
        }
        return b.toString();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
