package dev.tollgate.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.ca.Leaf;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.UncheckedIOException;
import javax.net.ssl.SSLException;

/**
 * Server-side TLS contexts for forged leaves, built once per leaf and ALPN offer (a context
 * holds the parsed key and chain; building one per handshake would cost more than the
 * handshake's signature).
 *
 * <p>The ALPN rule of interception: the client is offered {@code h2, http/1.1} only when the
 * origin chose h2 for the proxy's own connection, and {@code http/1.1} otherwise. Either way a
 * client that offers only HTTP/1.1 gets it, and each stream or request is translated to the
 * origin's version.
 */
public final class LeafContexts {
    private final Cache<Leaf, SslContext> contexts;
    private final Cache<Leaf, SslContext> h2Contexts;
    private final KeyLog keyLog;

    public LeafContexts(int maxEntries) {
        this(maxEntries, KeyLog.OFF);
    }

    /** @param keyLog where the client leg's session secrets go ({@link KeyLog#OFF}: nowhere) */
    public LeafContexts(int maxEntries, KeyLog keyLog) {
        this.keyLog = keyLog;
        // weak keys: identity of the cached Leaf, and a context leaves with its leaf
        this.contexts = Caffeine.newBuilder().weakKeys().maximumSize(maxEntries).build();
        this.h2Contexts =
                Caffeine.newBuilder().weakKeys().maximumSize(maxEntries).build();
    }

    /** Built once per leaf, even when handshakes for it race (call it off the event loop on a miss). */
    public SslContext serverContext(Leaf leaf) throws SSLException {
        return serverContext(leaf, false);
    }

    /** @param offerH2 offer {@code h2, http/1.1} (the origin chose h2) rather than {@code http/1.1} alone */
    public SslContext serverContext(Leaf leaf, boolean offerH2) throws SSLException {
        try {
            return offerH2
                    ? h2Contexts.get(leaf, l -> build(l, TlsProviders.H2_AND_HTTP_1_1))
                    : contexts.get(leaf, l -> build(l, TlsProviders.HTTP_1_1_ONLY));
        } catch (UncheckedIOException e) {
            throw (SSLException) e.getCause();
        }
    }

    private SslContext build(Leaf leaf, ApplicationProtocolConfig alpn) {
        try {
            return keyLog.attach(SslContextBuilder.forServer(leaf.key(), leaf.chain())
                    .sslProvider(TlsProviders.provider())
                    .applicationProtocolConfig(alpn)
                    .build());
        } catch (SSLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
