package dev.tollgate.tls;

import dev.tollgate.upstream.Endpoint;
import dev.tollgate.upstream.TlsHandlerFactory;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Client-side TLS toward origins: SNI sent, the chain checked against {@link UpstreamTrust},
 * and the host name verified (RFC 6125, as browsers do). One context for the whole process,
 * so its session cache gives resumption on reconnects to the same origin.
 */
public final class UpstreamTlsFactory implements TlsHandlerFactory {
    private final SslContext context;
    private final boolean insecure;
    private final long handshakeMillis;

    private UpstreamTlsFactory(SslContext context, boolean insecure, Duration handshakeTimeout) {
        this.context = context;
        this.insecure = insecure;
        this.handshakeMillis = handshakeTimeout.toMillis();
    }

    /**
     * @param trustBundle extra PEM CAs, or null
     * @param insecure skip verification entirely (labs only; logged on every flow)
     */
    public static UpstreamTlsFactory create(Path trustBundle, boolean insecure, Duration handshakeTimeout)
            throws GeneralSecurityException, IOException {
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(TlsProviders.provider())
                .applicationProtocolConfig(TlsProviders.HTTP_1_1_ONLY);
        b.trustManager(insecure ? InsecureTrustManagerFactory.INSTANCE : UpstreamTrust.of(trustBundle));
        return new UpstreamTlsFactory(b.build(), insecure, handshakeTimeout);
    }

    @Override
    public boolean insecure() {
        return insecure;
    }

    @Override
    public SslHandler newHandler(ByteBufAllocator alloc, Endpoint target, String serverName) {
        SslHandler handler = context.newHandler(alloc, serverName, target.port());
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
