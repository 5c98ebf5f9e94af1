package dev.tollgate.net;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * How a client connection reached the proxy when it did not ask for it ({@code transparent}:
 * redirected by iptables), kept on the client channel so that every flow of the connection,
 * opened by whichever stage, can say so.
 */
public final class Via {
    private static final AttributeKey<String> KEY = AttributeKey.valueOf("tollgate.via");

    private Via() {}

    public static void mark(Channel client, String via) {
        client.attr(KEY).set(via);
    }

    /** Null for a client that asked the proxy itself; an HTTP/2 stream answers for its connection. */
    public static String of(Channel client) {
        for (Channel c = client; c != null; c = c.parent()) {
            if (c.hasAttr(KEY)) {
                return c.attr(KEY).get();
            }
        }
        return null;
    }
}
