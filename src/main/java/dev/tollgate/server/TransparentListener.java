package dev.tollgate.server;

import dev.tollgate.config.HostPort;
import dev.tollgate.net.Via;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port iptables redirects connections to ({@code --transparent}), on the proxy's own event
 * loops. Epoll only: the original destination is read from the epoll socket's descriptor, and
 * {@code IP_TRANSPARENT} (needed for TPROXY, harmless for REDIRECT) is an epoll option. Binds
 * at once, with AUTO_READ off until the proxy starts, like the proxy port.
 */
final class TransparentListener {
    private static final Logger LOG = LoggerFactory.getLogger(TransparentListener.class);

    private final Channel channel;
    private volatile Consumer<Channel> admission;

    /** @throws IllegalArgumentException naming the flag and why the listener cannot run here */
    TransparentListener(HostPort address, Listener proxy) {
        if (!proxy.transport().name().equals("epoll")) {
            throw new IllegalArgumentException("--transparent " + address
                    + " needs the epoll transport (Linux), which is not in use here: "
                    + (Epoll.isAvailable() ? "-Dtollgate.nio=true is set" : Epoll.unavailabilityCause()));
        }
        String noCall = OriginalDestination.unavailable();
        if (noCall != null) {
            throw new IllegalArgumentException("--transparent " + address + ": " + noCall);
        }
        ChannelFuture bound = new ServerBootstrap()
                .group(proxy.workers())
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.AUTO_READ, false)
                .option(EpollChannelOption.IP_TRANSPARENT, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Via.mark(ch, RedirectedEntry.VIA); // before admission, whose refusals are flows too
                        admission.accept(ch);
                    }
                })
                .bind(address.host(), address.port())
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalArgumentException(
                    "--transparent: cannot listen on " + address + ": "
                            + bound.cause().getMessage(),
                    bound.cause());
        }
        channel = bound.channel();
        if (!transparentSocket()) {
            LOG.warn(
                    "--transparent {}: IP_TRANSPARENT refused (needs CAP_NET_ADMIN): iptables REDIRECT works, "
                            + "TPROXY does not",
                    address);
        }
    }

    void open(Consumer<Channel> admission) {
        this.admission = admission;
        channel.config().setAutoRead(true);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    boolean transparentSocket() {
        return Boolean.TRUE.equals(channel.config().getOption(EpollChannelOption.IP_TRANSPARENT));
    }

    void close() {
        channel.close().awaitUninterruptibly();
    }
}
