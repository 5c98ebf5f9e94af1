package dev.tollgate.admin;

import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.route.AutoPassthrough;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener: its own port and its own event loop, so a busy viewer never slows the
 * proxy's loops, and a stuck proxy loop still gets a {@code /readyz} answer.
 */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_REQUEST = 64 * 1024;

    private final ProxyConfig.Admin config;
    private final AdminAccess access;
    private final String tokenFile;
    private final AdminRoutes routes;
    private final AdminParts parts;
    private EventLoopGroup loop;
    private Channel listener;

    /**
     * @param ca the CA offered on the CA page; null when the proxy runs without one
     * @param certsDir where a generated token file goes (next to the CA) when none is configured
     * @throws IOException when the token file cannot be read or created
     */
    public AdminServer(
            ProxyConfig.Admin config, Path certsDir, CertificateAuthority ca, Readiness readiness, AdminParts parts)
            throws IOException {
        this(config, certsDir, ca, readiness, parts, AutoPassthrough.off());
    }

    /** @param autoPassthrough the proxy's auto-passthrough table, listed on {@code /api/auto-passthrough} */
    public AdminServer(
            ProxyConfig.Admin config,
            Path certsDir,
            CertificateAuthority ca,
            Readiness readiness,
            AdminParts parts,
            AutoPassthrough autoPassthrough)
            throws IOException {
        this.config = config;
        this.parts = parts;
        if (AdminAccess.isLoopback(config.listen().host())) {
            this.access = AdminAccess.loopback();
            this.tokenFile = null;
        } else {
            Path file = config.tokenFile() != null ? config.tokenFile() : certsDir.resolve(AdminToken.DEFAULT_FILE);
            this.access = AdminAccess.withToken(
                    config.tokenFile() != null ? AdminToken.read(file) : AdminToken.readOrCreate(file));
            this.tokenFile = file.toString();
        }
        this.routes = AdminEndpoints.routes(access, ca, readiness, parts, autoPassthrough);
    }

    public InetSocketAddress start() throws InterruptedException {
        loop = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("tollgate-admin", true), NioIoHandler.newFactory());
        AdminHandler handler = new AdminHandler(access, routes);
        ServerBootstrap b = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST), handler);
                    }
                });
        try {
            listener = b.bind(config.listen().host(), config.listen().port())
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        parts.events().start(loop.next());
        return (InetSocketAddress) listener.localAddress();
    }

    /** {@code http://host:port/}, for the startup banner. */
    public String url() {
        InetSocketAddress a = (InetSocketAddress) listener.localAddress();
        String host = a.getAddress().isAnyLocalAddress()
                ? config.listen().host()
                : a.getAddress().getHostAddress();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** The token file's path when a token is needed (bound beyond loopback), else null. */
    public String tokenFile() {
        return tokenFile;
    }

    public void stop() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
