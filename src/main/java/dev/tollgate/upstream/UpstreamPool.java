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

    /** A live idle connection for the key, most recently used first, or null. */
    UpstreamConnection poll(UpstreamKey key) {
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

    /** Whether a live idle connection for the key is waiting. */
    boolean hasIdle(UpstreamKey key) {
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
