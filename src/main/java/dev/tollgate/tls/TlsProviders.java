package dev.tollgate.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS engine to use: BoringSSL through netty-tcnative when it loads (faster handshakes
 * and records, no JDK engine copies), the JDK otherwise.
 */
public final class TlsProviders {
    /** The system property that forces the JDK's TLS engine (comparisons, and hosts without tcnative). */
    static final String JDK_TLS = "tollgate.jdkTls";

    private TlsProviders() {}

    /**
     * ALPN offering only HTTP/1.1: to a client whose origin did not choose h2, and toward an
     * origin for an exchange that must stay HTTP/1.1 (a protocol upgrade such as WebSocket).
     */
    static final ApplicationProtocolConfig HTTP_1_1_ONLY = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    /** ALPN offering h2 first, HTTP/1.1 for peers that do not speak h2 (the peer's choice decides). */
    static final ApplicationProtocolConfig H2_AND_HTTP_1_1 = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2,
            ApplicationProtocolNames.HTTP_1_1);

    public static SslProvider provider() {
        return OpenSsl.isAvailable() && !Boolean.getBoolean(JDK_TLS) ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** Why {@link #provider()} chose what it chose, for a message that must name it. */
    static String why() {
        if (Boolean.getBoolean(JDK_TLS)) {
            return "-D" + JDK_TLS + "=true";
        }
        return OpenSsl.isAvailable()
                ? "BoringSSL " + OpenSsl.versionString()
                : "netty-tcnative did not load: " + OpenSsl.unavailabilityCause();
    }
}
