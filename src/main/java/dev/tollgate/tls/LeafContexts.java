package dev.tollgate.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.ca.Leaf;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;

/**
 * Server-side TLS contexts for forged leaves, built once per leaf (a context holds the parsed
 * key and chain; building one per handshake would cost more than the handshake's signature).
 */
public final class LeafContexts {
    private final Cache<Leaf, SslContext> contexts;

    public LeafContexts(int maxEntries) {
        // weak keys: identity of the cached Leaf, and a context leaves with its leaf
        this.contexts = Caffeine.newBuilder().weakKeys().maximumSize(maxEntries).build();
    }

    /** Built once per leaf, even when handshakes for it race (call it off the event loop on a miss). */
    public SslContext serverContext(Leaf leaf) throws SSLException {
        try {
            return contexts.get(leaf, LeafContexts::build);
        } catch (java.io.UncheckedIOException e) {
            throw (SSLException) e.getCause();
        }
    }

    private static SslContext build(Leaf leaf) {
        try {
            return SslContextBuilder.forServer(leaf.key(), leaf.chain())
                    .sslProvider(TlsProviders.provider())
                    .applicationProtocolConfig(TlsProviders.HTTP_1_1_ONLY)
                    .build();
        } catch (SSLException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
