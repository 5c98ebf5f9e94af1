package dev.tollgate.ca;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Forged leaves, bounded and shared. Concurrent handshakes for the same name wait on one
 * forging; forging runs on its own executor, never on the caller (an event loop); a failed
 * forging is not kept, so the next handshake tries again.
 */
public final class LeafCache {
    private final LeafForge forge;
    private final AsyncCache<String, Leaf> leaves;
    private volatile LeafEvents events = LeafEvents.NONE;

    public LeafCache(LeafForge forge, int maxEntries, Executor forgingExecutor) {
        this.forge = forge;
        this.leaves = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .executor(forgingExecutor)
                .buildAsync();
    }

    public CompletableFuture<Leaf> leafFor(String name, Collection<String> extraNames) {
        String primary = name.toLowerCase(Locale.ROOT);
        List<String> extras = extraNames.stream()
                .map(n -> n.toLowerCase(Locale.ROOT))
                .sorted()
                .distinct()
                .toList();
        String key = extras.isEmpty() ? primary : primary + "|" + String.join(",", extras);
        boolean[] missed = new boolean[1];
        try {
            CompletableFuture<Leaf> leaf = leaves.get(key, (k, executor) -> {
                missed[0] = true;
                return CompletableFuture.supplyAsync(() -> forgeTimed(primary, extras), executor);
            });
            if (!missed[0]) {
                events.hit();
            }
            return leaf;
        } catch (RuntimeException e) {
            // a refused executor (shutting down): the caller is an event loop and expects a future
            return CompletableFuture.failedFuture(e);
        }
    }

    private Leaf forgeTimed(String primary, List<String> extras) {
        long t0 = System.nanoTime();
        try {
            Leaf leaf = forge.forge(primary, extras);
            events.forged(System.nanoTime() - t0);
            return leaf;
        } catch (CaException e) {
            throw new CompletionException(e);
        }
    }

    /** Who hears of forgings and cache hits (metrics); set once by the composition root. */
    public void observe(LeafEvents events) {
        this.events = events;
    }

    public long size() {
        return leaves.synchronous().estimatedSize();
    }
}
