package dev.tollgate.server;

import dev.tollgate.ca.CaException;
import dev.tollgate.ca.Leaf;
import dev.tollgate.ca.LeafForge;
import dev.tollgate.tls.LeafContexts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * TLS to the proxy itself ({@code https_proxy=https://…}, as AKS's {@code httpsProxy} may be
 * set): one leaf from the same CA for the proxy's configured names and every local address,
 * forged once at startup. Inside it the client speaks HTTP to the proxy as usual.
 */
final class ProxyTls {
    private final SslContext context;
    private final long handshakeMillis;
    private final Set<String> names;

    ProxyTls(LeafForge forge, LeafContexts contexts, List<String> proxyNames, Duration handshake)
            throws CaException, SSLException {
        this.names = ownNames(proxyNames);
        List<String> all = List.copyOf(names);
        Leaf leaf = forge.forge(all.get(0), all.subList(1, all.size()));
        this.context = contexts.serverContext(leaf);
        this.handshakeMillis = handshake.toMillis();
    }

    Set<String> names() {
        return names;
    }

    SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler tls = context.newHandler(alloc);
        tls.setHandshakeTimeoutMillis(handshakeMillis);
        return tls;
    }

    private static Set<String> ownNames(List<String> configured) {
        Set<String> names = new LinkedHashSet<>(configured);
        names.add("localhost");
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    String ip = a.getHostAddress();
                    int zone = ip.indexOf('%');
                    names.add(zone < 0 ? ip : ip.substring(0, zone));
                }
            }
        } catch (SocketException e) {
            names.add("127.0.0.1");
        }
        return names;
    }
}
