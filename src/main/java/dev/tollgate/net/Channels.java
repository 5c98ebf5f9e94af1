package dev.tollgate.net;

import dev.tollgate.policy.IpLiteral;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Small channel chores shared by the HTTP, tunnel and interception paths. */
public final class Channels {
    private Channels() {}

    /**
     * Closes after everything already written has gone out. A channel already closed is left
     * alone, and one whose output ended closes at once: Netty builds an exception for each
     * close of a closed channel and each write past the end of output.
     */
    public static void closeOnFlush(Channel ch) {
        if (ch == null || !ch.isOpen()) {
            return;
        }
        if (ch.isActive() && !HalfClose.outputEnded(ch)) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    /** Removes a handler by name if it is there; pipelines differ by path (TLS or not). */
    public static void removeIfPresent(ChannelPipeline p, String name) {
        ChannelHandler h = p.get(name);
        if (h != null) {
            p.remove(name);
        }
    }

    /** {@code ip:port}, IPv6 in brackets: how flows name both ends of a connection. */
    public static String addressOf(SocketAddress address) {
        if (address instanceof InetSocketAddress a && a.getAddress() != null) {
            return IpLiteral.authority(a.getAddress().getHostAddress(), a.getPort());
        }
        return String.valueOf(address);
    }
}
