package dev.tollgate.server;

import dev.tollgate.policy.IpLiteral;
import dev.tollgate.route.Target;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Recognises a target that is this proxy's own listener, so a request for it is answered
 * instead of looping through the proxy until the connection limit. Names other than
 * {@code localhost} are not resolved for this (a DNS lookup per request is not worth it).
 */
final class SelfTargets implements Predicate<Target> {
    private final int port;
    private final Set<ByteBuffer> localAddresses = new HashSet<>();

    SelfTargets(int port) {
        this.port = port;
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    localAddresses.add(ByteBuffer.wrap(a.getAddress()));
                }
            }
        } catch (SocketException e) {
            localAddresses.add(ByteBuffer.wrap(new byte[] {127, 0, 0, 1}));
        }
    }

    @Override
    public boolean test(Target t) {
        if (t.port() != port) {
            return false;
        }
        if (t.host().equals("localhost")) {
            return true;
        }
        byte[] ip = IpLiteral.parse(t.host());
        return ip != null && (localAddresses.contains(ByteBuffer.wrap(ip)) || ip.length == 4 && ip[0] == 127);
    }
}
