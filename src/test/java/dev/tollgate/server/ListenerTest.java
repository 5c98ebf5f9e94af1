package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.HostPort;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The proxy port binds first, fails at once when taken, and accepts only once opened. */
class ListenerTest {

    @Test
    void portInUseFailsWithinASecondNamingTheAddressAndWhy() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HostPort address = new HostPort("127.0.0.1", taken.getLocalPort());
            long start = System.nanoTime();
            assertThatThrownBy(() -> Listener.bind(address))
                    .isInstanceOf(Listener.ListenException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("already in use");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void connectionsWaitInTheBacklogUntilTheListenerOpens() throws Exception {
        try (Listener listener = Listener.bind(new HostPort("127.0.0.1", 0));
                Socket early = new Socket(
                        InetAddress.getLoopbackAddress(), listener.address().getPort())) {
            List<Channel> admitted = new CopyOnWriteArrayList<>();
            listener.open(admitted::add);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (admitted.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(admitted).hasSize(1);
            assertThat(admitted.get(0).remoteAddress()).isEqualTo(early.getLocalSocketAddress());
            assertThatThrownBy(() -> listener.open(admitted::add)).isInstanceOf(IllegalStateException.class);
        }
    }
}
