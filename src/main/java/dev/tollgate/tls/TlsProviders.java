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
    private TlsProviders() {}

    /**
     * ALPN on both legs offers only HTTP/1.1 until HTTP/2 is supported, so a client offering
     * {@code h2} falls back cleanly instead of failing after the handshake.
     */
    static final ApplicationProtocolConfig HTTP_1_1_ONLY = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    public static SslProvider provider() {
        return OpenSsl.isAvailable() && !Boolean.getBoolean("tollgate.jdkTls") ? SslProvider.OPENSSL : SslProvider.JDK;
    }
}
