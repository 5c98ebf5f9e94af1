package dev.tollgate.server;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Where a redirected client meant to go. An iptables REDIRECT rewrites the destination (NAT):
 * the kernel keeps the original in conntrack and hands it out by {@code getsockopt(SOL_IP,
 * SO_ORIGINAL_DST)} ({@code SOL_IPV6, IP6T_SO_ORIGINAL_DST} for IPv6), which Netty does not
 * expose (netty#8044), so it is read through JNA on the epoll channel's descriptor. A TPROXY
 * redirect rewrites nothing: the accepted socket's own local address is the original
 * destination, and conntrack has no NAT entry for it (ENOENT), so the local address answers.
 */
final class OriginalDestination {
    private static final int SOL_IP = 0;
    private static final int SOL_IPV6 = 41;
    private static final int SO_ORIGINAL_DST = 80; // IP6T_SO_ORIGINAL_DST has the same number
    private static final int ENOENT = 2;
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;

    private OriginalDestination() {}

    /** The C library's getsockopt, loaded on first use. */
    private interface LibC extends Library {
        int getsockopt(int fd, int level, int name, byte[] value, IntByReference length) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /**
     * Loads the native call now, so that a platform without it fails the start, not the first
     * redirected connection.
     *
     * @return null when usable, else why not
     */
    static String unavailable() {
        try {
            return Holder.LIBC == null ? "the C library did not load" : null;
        } catch (LinkageError e) {
            return "cannot call getsockopt through JNA: " + e.getMessage();
        }
    }

    /** @throws IOException naming the failed call and its errno */
    static InetSocketAddress of(Channel client) throws IOException {
        if (!(client instanceof EpollSocketChannel epoll)) {
            throw new IOException("not an epoll socket: " + client.getClass().getSimpleName());
        }
        InetSocketAddress local = (InetSocketAddress) client.localAddress();
        boolean v4 = local.getAddress() instanceof Inet4Address
                || ((InetSocketAddress) client.remoteAddress()).getAddress() instanceof Inet4Address;
        byte[] address = new byte[v4 ? SOCKADDR_IN : SOCKADDR_IN6];
        IntByReference length = new IntByReference(address.length);
        try {
            Holder.LIBC.getsockopt(epoll.fd().intValue(), v4 ? SOL_IP : SOL_IPV6, SO_ORIGINAL_DST, address, length);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) {
                return local; // not NATed: TPROXY, or no redirect at all (the caller's loop check sees that)
            }
            throw new IOException("getsockopt(SO_ORIGINAL_DST) failed with errno " + e.getErrorCode(), e);
        }
        return parse(address, v4);
    }

    /** A {@code sockaddr_in} or {@code sockaddr_in6}: the port in network order at 2, the address at 4 or 8. */
    static InetSocketAddress parse(byte[] sockaddr, boolean v4) throws IOException {
        int port = ((sockaddr[2] & 0xff) << 8) | (sockaddr[3] & 0xff);
        byte[] ip = v4 ? Arrays.copyOfRange(sockaddr, 4, 8) : Arrays.copyOfRange(sockaddr, 8, 24);
        return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    }
}
