package dev.tollgate.upstream;

import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections of one event loop. Only that loop touches it, so it needs no
 * locks, and a leased connection always runs on the same loop as its client.
 */
final class UpstreamPool {
    private final Map<UpstreamKey, ArrayDeque<Idle>> idle = new HashMap<>();
    private final int maxPerKey;
    private final long ttlNanos;

    private record Idle(UpstreamConnection connection, ScheduledFuture<?> expiry) {}

    UpstreamPool(int maxPerKey, Duration ttl) {
        this.maxPerKey = maxPerKey;
        this.ttlNanos = ttl.toNanos();
    }

    /**
     * A live idle connection for the key, most recently used first, or null. A key without h2
     * in its offer takes any idle HTTP/1.1 connection to the upstream, whatever its TLS offered
     * (an origin that chose HTTP/1.1 over an h2 offer speaks it all the same); a key that offers
     * h2 takes only those opened with that offer, so that an h2 client is not held to HTTP/1.1
     * by a connection that never asked the origin for h2.
     */
    UpstreamConnection poll(UpstreamKey key) {
        UpstreamConnection c = pollExactly(key);
        if (c != null || key.offersH2() || !key.tls()) {
            return c;
        }
        for (UpstreamKey.Offer o : UpstreamKey.Offer.values()) {
            if (o != key.offer() && (c = pollExactly(key.withOffer(o))) != null) {
                return c;
            }
        }
        return null;
    }

    private UpstreamConnection pollExactly(UpstreamKey key) {
        ArrayDeque<Idle> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            Idle i = q.pollLast();
            i.expiry.cancel(false);
            if (i.connection.channel().isActive()) {
                return i.connection;
            }
        }
        return null;
    }

    /** Whether a live idle connection to the key's upstream is waiting, whatever its TLS offered. */
    boolean hasIdle(UpstreamKey key) {
        for (UpstreamKey.Offer o : UpstreamKey.Offer.values()) {
            if (hasIdleExactly(key.withOffer(o))) {
                return true;
            }
        }
        return false;
    }

    private boolean hasIdleExactly(UpstreamKey key) {
        ArrayDeque<Idle> q = idle.get(key);
        if (q != null) {
            for (Idle i : q) {
                if (i.connection.channel().isActive()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Forgets a connection that closed, idle or not; called once per connection. */
    void remove(UpstreamConnection c) {
        ArrayDeque<Idle> q = idle.get(c.key());
        if (q == null) {
            return;
        }
        q.removeIf(i -> {
            if (i.connection == c) {
                i.expiry.cancel(false);
                return true;
            }
            return false;
        });
        if (q.isEmpty()) {
            idle.remove(c.key());
        }
    }

    /** Keeps the connection for reuse, or closes it when the pool for its key is full. */
    void offer(UpstreamConnection c) {
        ArrayDeque<Idle> q = idle.computeIfAbsent(c.key(), k -> new ArrayDeque<>());
        if (q.size() >= maxPerKey || !c.channel().isActive()) {
            c.channel().close();
            return;
        }
        c.markIdle();
        ScheduledFuture<?> expiry = c.channel()
                .eventLoop()
                .schedule(
                        () -> {
                            c.channel().close();
                        },
                        ttlNanos,
                        TimeUnit.NANOSECONDS);
        q.addLast(new Idle(c, expiry));
        // A pending read lets us notice the origin closing the idle connection.
        c.channel().read();
    }
}
