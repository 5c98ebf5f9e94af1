package dev.tollgate.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyConnectException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/** Turns low-level connect failures into messages an operator and a client can read. */
final class UpstreamFailures {
    private static final InClusterWarnings IN_CLUSTER = InClusterWarnings.standard();

    private UpstreamFailures() {}

    /** A name that did not resolve; one that looks in-cluster says which noProxy entry it lacks. */
    static UpstreamException resolve(UpstreamKey key, Throwable cause) {
        String host = key.connectTo().host();
        if (key.parent() != null) {
            return new UpstreamException(
                    UpstreamException.Kind.UNKNOWN_HOST,
                    "unknown parent proxy host " + host + " (DNS lookup failed)",
                    cause);
        }
        InClusterNames.Advice advice = cause instanceof UnknownHostException ? InClusterNames.of(host) : null;
        if (advice != null) {
            IN_CLUSTER.seen(host, advice);
        }
        return new UpstreamException(
                UpstreamException.Kind.UNKNOWN_HOST,
                "unknown host " + host + " (DNS lookup failed)" + (advice == null ? "" : ": " + advice.text()),
                cause,
                advice);
    }

    static UpstreamException connect(UpstreamKey key, InetSocketAddress address, Throwable cause) {
        String to = (key.parent() != null ? "parent proxy " : "")
                + key.connectTo().authority() + " (" + address.getAddress().getHostAddress() + ")";
        if (cause instanceof ConnectTimeoutException) {
            return new UpstreamException(UpstreamException.Kind.TIMEOUT, "timed out connecting to " + to, cause);
        }
        if (cause instanceof NoRouteToHostException) {
            return new UpstreamException(UpstreamException.Kind.UNREACHABLE, "no route to " + to, cause);
        }
        if (cause instanceof ConnectException) {
            return new UpstreamException(UpstreamException.Kind.REFUSED, "connection refused by " + to, cause);
        }
        return new UpstreamException(
                UpstreamException.Kind.UNREACHABLE, "cannot connect to " + to + ": " + cause.getMessage(), cause);
    }

    static UpstreamException parent(UpstreamKey key, Throwable cause) {
        String reason = cause.getMessage();
        if (cause instanceof HttpProxyHandler.HttpProxyConnectException) {
            reason = "it answered " + reason.replaceFirst("^.*status: ", "");
        } else if (cause instanceof ProxyConnectException && reason != null && reason.contains("timeout")) {
            return new UpstreamException(
                    UpstreamException.Kind.TIMEOUT,
                    "parent proxy " + key.parent() + " did not answer CONNECT " + key.target() + " in time",
                    cause);
        }
        return new UpstreamException(
                UpstreamException.Kind.PARENT,
                "parent proxy " + key.parent() + " refused CONNECT " + key.target() + ": " + reason,
                cause);
    }

    static UpstreamException tls(UpstreamKey key, Throwable cause) {
        return new UpstreamException(
                UpstreamException.Kind.TLS,
                "TLS handshake with " + key.target()
                        + (key.serverName().equals(key.target().host()) ? "" : " (" + key.serverName() + ")")
                        + " failed: " + tlsReason(cause),
                cause);
    }

    /** The verification failure in words an operator can act on, with the JDK's own text after it. */
    private static String tlsReason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return "the origin's certificate has expired (" + t.getMessage() + ")";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "the origin's certificate is not valid yet (" + t.getMessage() + ")";
            }
            if (t instanceof CertPathBuilderException) {
                return "the origin's certificate is not signed by a trusted CA (self-signed or unknown issuer; "
                        + "trust its CA with --upstream-trust)";
            }
            if (t instanceof CertificateException
                    && String.valueOf(t.getMessage()).contains("subject alternative")) {
                return "the origin's certificate does not match the name (" + t.getMessage() + ")";
            }
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
