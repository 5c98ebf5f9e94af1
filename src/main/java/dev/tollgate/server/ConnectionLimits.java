package dev.tollgate.server;

import dev.tollgate.net.RawResponses;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open client connections, in total and per client address, so one noisy client (or a
 * flood) cannot take the descriptors every other client needs. Excess connections get a 503
 * and are closed at once; open ones are never touched.
 */
final class ConnectionLimits {
    private final int maxTotal;
    private final int maxPerClient;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

    ConnectionLimits(int maxTotal, int maxPerClient) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** @return null when admitted (and counted until it closes), else why it was refused */
    String admit(Channel ch) {
        InetAddress client = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        int m = perClient
                .compute(client, (k, v) -> {
                    AtomicInteger n = v == null ? new AtomicInteger() : v;
                    n.incrementAndGet();
                    return n;
                })
                .get();
        int t = total.incrementAndGet();
        ch.closeFuture().addListener(f -> release(client));
        if (t > maxTotal) {
            return refuse(ch, "the proxy has " + maxTotal + " connections open (limits.maxConnections)");
        }
        if (m > maxPerClient) {
            return refuse(
                    ch,
                    "client " + client.getHostAddress() + " has " + maxPerClient
                            + " connections open (limits.maxConnectionsPerClient)");
        }
        return null;
    }

    private static String refuse(Channel ch, String reason) {
        ch.writeAndFlush(RawResponses.error(ch.alloc(), 503, reason)).addListener(ChannelFutureListener.CLOSE);
        return reason;
    }

    private void release(InetAddress client) {
        total.decrementAndGet();
        perClient.computeIfPresent(client, (k, v) -> v.decrementAndGet() == 0 ? null : v);
    }
}
