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

    public SslContext serverContext(Leaf leaf) throws SSLException {
        SslContext existing = contexts.getIfPresent(leaf);
        if (existing != null) {
            return existing;
        }
        SslContext built = SslContextBuilder.forServer(leaf.key(), leaf.chain())
                .sslProvider(TlsProviders.provider())
                .applicationProtocolConfig(TlsProviders.HTTP_1_1_ONLY)
                .build();
        contexts.put(leaf, built);
        return built;
    }
}
