package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The original destination: the kernel's sockaddr, and the answer for a connection no rule redirected. */
class OriginalDestinationTest {

    @Test
    void readsSockaddrIn() throws Exception {
        byte[] sockaddr = {2, 0, 0x01, (byte) 0xbb, 10, (byte) 203, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(OriginalDestination.parse(sockaddr, true)).isEqualTo(new InetSocketAddress("10.203.1.10", 443));
    }

    @Test
    void readsSockaddrIn6() throws Exception {
        byte[] sockaddr = new byte[28];
        sockaddr[0] = 10; // AF_INET6, host order
        sockaddr[3] = 80;
        sockaddr[8] = (byte) 0xfd;
        sockaddr[23] = 7;
        assertThat(OriginalDestination.parse(sockaddr, false)).isEqualTo(new InetSocketAddress("fd00::7", 80));
    }

    /** Without NAT the kernel has no original destination to give: the local address is the answer, as for TPROXY. */
    @Test
    void aConnectionNoRuleRedirectedHasItsLocalAddress() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        assertThat(OriginalDestination.unavailable()).isNull();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            CompletableFuture<Object> seen = new CompletableFuture<>();
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            try {
                                seen.complete(OriginalDestination.of(ch));
                            } catch (Exception e) {
                                seen.complete(e);
                            }
                        }
                    })
                    .bind("127.0.0.1", 0)
                    .sync()
                    .channel();
            Channel client = new Bootstrap()
                    .group(group)
                    .channel(EpollSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(server.localAddress())
                    .sync()
                    .channel();
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(server.localAddress());
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
