package dev.tollgate.server;

import dev.tollgate.config.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The proxy port and the event loops behind it. It binds first, before anything slow at
 * startup (loading or generating the CA takes seconds), so that a port in use fails the start
 * at once; connections then wait in the kernel's backlog until {@link #open} starts accepting.
 */
public final class Listener implements AutoCloseable {
    private final Transport transport = Transport.best();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final AtomicReference<Consumer<Channel>> admission = new AtomicReference<>();
    private final Channel channel;

    private Listener(HostPort address) throws ListenException {
        boss = transport.newGroup(1, "tollgate-accept");
        workers = transport.newGroup(0, "tollgate-io");
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.AUTO_READ, false) // accept nothing until open()
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        admission.get().accept(ch);
                    }
                });
        ChannelFuture bound = b.bind(address.host(), address.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdownGroups();
            throw new ListenException(address, bound.cause());
        }
        channel = bound.channel();
    }

    /**
     * Binds {@code address} now.
     *
     * @throws ListenException naming the address and why (in use, not local, no permission)
     */
    public static Listener bind(HostPort address) throws ListenException {
        return new Listener(address);
    }

    /** Starts accepting; each accepted connection goes to {@code admission} on its event loop. */
    void open(Consumer<Channel> admission) {
        if (!this.admission.compareAndSet(null, admission)) {
            throw new IllegalStateException("the listener is open already");
        }
        channel.config().setAutoRead(true);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    Transport transport() {
        return transport;
    }

    EventLoopGroup workers() {
        return workers;
    }

    boolean isListening() {
        return channel.isActive();
    }

    /** Stops accepting; open connections are left alone (see {@link ProxyServer#stop}). */
    void stopAccepting() {
        channel.close().awaitUninterruptibly();
    }

    /** Futures that complete when every I/O event loop has run a task: none of them is stuck. */
    List<Future<?>> pingLoops() {
        List<Future<?>> pings = new ArrayList<>();
        workers.forEach(loop -> pings.add(loop.submit(() -> {})));
        return pings;
    }

    @Override
    public void close() {
        stopAccepting();
        shutdownGroups();
    }

    private void shutdownGroups() {
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** The proxy port could not be bound. */
    public static final class ListenException extends Exception {
        ListenException(HostPort address, Throwable cause) {
            super("cannot listen on " + address + ": " + reason(cause), cause);
        }

        private static String reason(Throwable cause) {
            String m = String.valueOf(cause.getMessage());
            if (cause instanceof BindException || m.contains("in use")) {
                return "the address is already in use (another Tollgate, or another program, listens there); "
                        + "stop it or choose another port with --listen or listen:";
            }
            return m;
        }
    }
}
