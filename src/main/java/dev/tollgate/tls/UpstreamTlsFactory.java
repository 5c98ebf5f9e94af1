package dev.tollgate.tls;

import dev.tollgate.upstream.Endpoint;
import dev.tollgate.upstream.TlsHandlerFactory;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Client-side TLS toward origins: SNI sent, the chain checked against {@link UpstreamTrust},
 * and the host name verified (RFC 6125, as browsers do). One context for the whole process,
 * so its session cache gives resumption on reconnects to the same origin.
 */
public final class UpstreamTlsFactory implements TlsHandlerFactory {
    private final SslContext context;
    private final SslContext h2Context;
    private final boolean insecure;
    private final long handshakeMillis;

    private UpstreamTlsFactory(SslContext context, SslContext h2Context, boolean insecure, Duration handshakeTimeout) {
        this.context = context;
        this.h2Context = h2Context;
        this.insecure = insecure;
        this.handshakeMillis = handshakeTimeout.toMillis();
    }

    /**
     * @param trustBundle extra PEM CAs, or null
     * @param insecure skip verification entirely (labs only; logged on every flow)
     */
    public static UpstreamTlsFactory create(Path trustBundle, boolean insecure, Duration handshakeTimeout)
            throws GeneralSecurityException, IOException {
        return create(trustBundle, insecure, handshakeTimeout, KeyLog.OFF);
    }

    /** @param keyLog where the upstream leg's session secrets go ({@link KeyLog#OFF}: nowhere) */
    public static UpstreamTlsFactory create(
            Path trustBundle, boolean insecure, Duration handshakeTimeout, KeyLog keyLog)
            throws GeneralSecurityException, IOException {
        TrustManagerFactory trust = insecure ? InsecureTrustManagerFactory.INSTANCE : UpstreamTrust.of(trustBundle);
        return new UpstreamTlsFactory(
                keyLog.attach(context(trust, TlsProviders.HTTP_1_1_ONLY)),
                keyLog.attach(context(trust, TlsProviders.H2_AND_HTTP_1_1)),
                insecure,
                handshakeTimeout);
    }

    private static SslContext context(TrustManagerFactory trust, ApplicationProtocolConfig alpn) throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(TlsProviders.provider())
                .applicationProtocolConfig(alpn)
                .trustManager(trust)
                .build();
    }

    @Override
    public boolean insecure() {
        return insecure;
    }

    @Override
    public SslHandler newHandler(ByteBufAllocator alloc, Endpoint target, String serverName) {
        return newHandler(alloc, target, serverName, false);
    }

    @Override
    public SslHandler newHandler(ByteBufAllocator alloc, Endpoint target, String serverName, boolean offerH2) {
        SslHandler handler = (offerH2 ? h2Context : context).newHandler(alloc, serverName, target.port());
        SSLEngine engine = handler.engine();
        if (!insecure) {
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
        }
        handler.setHandshakeTimeoutMillis(handshakeMillis);
        return handler;
    }
}
