package dev.tollgate.intercept;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Why a client's TLS handshake with a forged leaf failed, in words that point at the fix: a
 * client that rejects the leaf needs the CA installed; one that just left or stalled does not.
 */
public final class ClientHandshakeFailures {
    /** What the client was shown: a leaf forged for the origin it asked for. */
    public static final String FORGED_LEAF = "the forged certificate";
    /** What the client was shown: the proxy's own certificate ({@code https_proxy=https://…}). */
    public static final String PROXY_CERTIFICATE = "the proxy's own certificate";

    private ClientHandshakeFailures() {}

    /** @param shown which certificate the client was shown: {@link #FORGED_LEAF} or {@link #PROXY_CERTIFICATE} */
    public static String describe(Throwable cause, String shown) {
        String all = chain(cause).toLowerCase(Locale.ROOT);
        if (namesRejection(all)) {
            return "the client rejected " + shown + " (" + root(cause)
                    + "): it does not trust the Tollgate CA; install certs/ca.pem in its trust store";
        }
        if (isTls13Alert(all)) {
            // OpenSSL clients (curl) under TLS 1.3 send their alert as a 2-byte plaintext record
            // where an encrypted one is due; both engines fail to parse it rather than name it
            return "the client aborted the handshake with an alert (" + root(cause) + "); TLS 1.3 clients such as "
                    + "curl do this when they reject " + shown + ": it most likely does not trust the Tollgate CA; "
                    + "install certs/ca.pem in its trust store";
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return "client TLS handshake timed out (" + t.getMessage() + ")";
            }
            if (t instanceof ClosedChannelException) {
                return "client closed the connection during the TLS handshake";
            }
        }
        return "client TLS handshake failed: " + root(cause);
    }

    /**
     * True when the client rejected the certificate it was shown (an alert naming it, or the
     * TLS 1.3 alert case below), false when it merely left, stalled or failed otherwise: what
     * auto-passthrough counts.
     */
    public static boolean rejected(Throwable cause) {
        String all = chain(cause).toLowerCase(Locale.ROOT);
        return namesRejection(all) || isTls13Alert(all);
    }

    private static boolean namesRejection(String all) {
        return all.contains("unknown_ca")
                || all.contains("certificate_unknown")
                || all.contains("bad_certificate")
                || all.contains("unknown ca")
                || all.contains("certificate unknown");
    }

    private static boolean isTls13Alert(String all) {
        return all.contains("bad_packet_length") || all.contains("aead cipher fragment (2)");
    }

    private static String chain(Throwable cause) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            b.append(t.getMessage()).append(' ');
        }
        return b.toString();
    }

    private static String root(Throwable cause) {
        Throwable r = cause;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() != null ? r.getMessage() : r.getClass().getSimpleName();
    }
}
