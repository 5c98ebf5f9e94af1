package dev.tollgate.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;

/**
 * Passes a relay's half-close on: ends one channel's output (a FIN) once its other direction is
 * the only one left, without the exceptions Netty builds on that path. Netty's {@code
 * shutdownOutput()} constructs a {@code ChannelOutputShutdownException} with a stack trace for
 * every call, and with half-closure still allowed, the peer's own FIN that follows makes it shut
 * down an input whose connection is already gone ({@code NotYetConnectedException}, stack trace
 * too): about three per tunnel at teardown. Call on the channel's event loop, once all that was
 * written to it has been flushed (the relay writes nothing to it afterwards).
 */
final class HalfClose {
    private HalfClose() {}

    static void output(DuplexChannel ch) {
        if (!ch.isActive() || ch.isOutputShutdown()) {
            return;
        }
        // our side is done: the peer's end of its side now ends the whole connection (a close)
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        if (ch instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
            // the socket call Netty's shutdownOutput() makes, without its exception; the channel's
            // isOutputShutdown() reads the same socket state
            try {
                socket.shutdown(false, true);
            } catch (IOException gone) {
                ch.close();
            }
        } else {
            ch.shutdownOutput();
        }
    }

    /** Nothing more can be written to a channel whose output ended: it just closes. */
    static boolean outputEnded(Channel ch) {
        return ch instanceof DuplexChannel d && d.isOutputShutdown();
    }
}
